public class EpubCheckMany {
    public static void main(String[] args) throws Exception {
        for (int i = 0; i + 1 < args.length; i += 2) {
            new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {args[i], "--json", args[i + 1], "--quiet"});
        }
    }
}
