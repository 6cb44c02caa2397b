namespace Paraphrase.Cli.Settings;

/// <summary>API keys given to a server in PARAPHRASE_API_KEYS (comma-separated).</summary>
internal static class EnvironmentApiKeys
{
    public static IEnumerable<string> Read() =>
        (Environment.GetEnvironmentVariable("PARAPHRASE_API_KEYS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
