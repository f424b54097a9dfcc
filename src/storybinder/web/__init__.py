"""The web layer: one Starlette application shared by `serve` (OPDS, shelf) and `review`.

`app.create_app` takes each feature's routes and wraps them in the shared
middleware (Host/Origin checks, HTTP Basic auth); templates and static files
live beside this module. Starlette and uvicorn are imported only by the
commands that start a server.
"""
