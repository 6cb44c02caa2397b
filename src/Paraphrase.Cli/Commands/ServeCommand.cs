using System.ComponentModel;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Inference;
using Paraphrase.Serving;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("Serve a model over HTTP: POST /api/paraphrase, GET /api/health, /api/model, /metrics, /openapi.json.")]
public sealed class ServeCommand : AsyncCommand<ServeCommand.Options>
{
    public sealed class Options : GlobalSettings
    {
        [CommandOption("-m|--model <PATH>")]
        [Description("An export directory, an .onnx file, or a champion.json to follow (hot swap when it changes).")]
        public string? Model { get; init; }

        [CommandOption("--host <ADDRESS>")]
        [Description("Address to listen on (0.0.0.0 for every interface).")]
        [DefaultValue("127.0.0.1")]
        public string Host { get; init; } = "127.0.0.1";

        [CommandOption("-p|--port <PORT>")]
        [DefaultValue(8080)]
        public int Port { get; init; } = 8080;

        [CommandOption("--api-key <KEY>")]
        [Description("An accepted API key (repeatable); also read from PARAPHRASE_API_KEYS (comma-separated).")]
        public string[] ApiKeys { get; init; } = [];

        [CommandOption("--no-auth")]
        [Description("Serve without API keys (only on trusted networks).")]
        public bool NoAuth { get; init; }

        [CommandOption("--variant <VARIANT>")]
        [Description("For an export directory: fused, portable or int8.")]
        public string? Variant { get; init; }

        [CommandOption("--max-batch-size <N>")]
        [DefaultValue(32)]
        public int MaxBatchSize { get; init; } = 32;

        [CommandOption("--max-wait-ms <MS>")]
        [Description("How long a request waits for others to share its batch.")]
        [DefaultValue(2.0)]
        public double MaxWaitMilliseconds { get; init; } = 2;

        [CommandOption("--max-pairs <N>")]
        [Description("Most pairs in one request.")]
        [DefaultValue(64)]
        public int MaxPairs { get; init; } = 64;

        [CommandOption("--provider <PROVIDER>")]
        [DefaultValue("auto")]
        public string Provider { get; init; } = "auto";

        [CommandOption("--threads <N>")]
        [DefaultValue(0)]
        public int Threads { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Model) ? ValidationResult.Error("--model is required.")
            : Port is < 1 or > 65535 ? ValidationResult.Error($"--port {Port} is not a port number.")
            : MaxBatchSize < 1 || MaxPairs < 1 || MaxWaitMilliseconds < 0 ? ValidationResult.Error("--max-batch-size and --max-pairs must be positive, --max-wait-ms not negative.")
            : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        var keys = settings.ApiKeys.Concat(EnvironmentApiKeys.Read()).Distinct().ToList();
        var serving = new ServingOptions
        {
            AllowAnonymous = settings.NoAuth, MaxBatchSize = settings.MaxBatchSize, MaxPairsPerRequest = settings.MaxPairs,
            MaxWait = TimeSpan.FromMilliseconds(settings.MaxWaitMilliseconds),
        };
        var inference = new InferenceOptions { ExecutionProvider = settings.Provider, IntraOpThreads = settings.Threads, Variant = settings.Variant };
        string url = $"http://{settings.Host}:{settings.Port}";
        await using var app = ServingHost.Create(settings.Model!, serving, inference, url, Terminal.Info, keys);
        await app.StartAsync(cancellationToken);
        Terminal.Info($"Serving {settings.Model} at {url} (POST /api/paraphrase; OpenAPI at /openapi.json){(settings.NoAuth ? " without authentication" : "")}. Ctrl-C stops.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
