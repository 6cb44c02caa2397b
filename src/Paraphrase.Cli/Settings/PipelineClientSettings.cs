using System.ComponentModel;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Settings;

/// <summary>How commands reach a running pipeline host.</summary>
public class PipelineClientSettings : GlobalSettings
{
    [CommandOption("--url <URL>")]
    [Description("The pipeline host (paraphrase host, or the Function App).")]
    [DefaultValue("http://127.0.0.1:8080")]
    public string Url { get; init; } = "http://127.0.0.1:8080";

    [CommandOption("--api-key <KEY>")]
    [Description("API key of the host; also read from PARAPHRASE_API_KEY.")]
    public string? ApiKey { get; init; }

    public string? ResolvedApiKey => ApiKey ?? Environment.GetEnvironmentVariable("PARAPHRASE_API_KEY");
}
