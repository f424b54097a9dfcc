public class EpubCheckMany {
    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            // One book that crashes EPUBCheck must not cost the others their reports.
            try {
                new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {args[i], "--json", args[i + 1], "--quiet"});
            } catch (Throwable t) {
                System.err.println("EPUBCheck failed on " + args[i] + ": " + t);
            }
        }
    }
}
