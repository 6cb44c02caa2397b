namespace Paraphrase.Hosting; internal static class Placeholder {}
