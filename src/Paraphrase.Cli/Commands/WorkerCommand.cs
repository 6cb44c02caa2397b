using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Pipeline;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Worker;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("The trainer worker on its own (the GPU container's entry point): takes fine-tuning and export jobs from the queue until stopped.")]
public sealed class WorkerCommand : AsyncCommand<WorkerCommand.Options>
{
    public sealed class Options : JobQueueSettings
    {
        [CommandOption("--max-jobs <N>")]
        [Description("Exit after this many jobs (1 for a Container Apps job execution).")]
        public int? MaxJobs { get; init; }

        [CommandOption("--idle-exit <DURATION>")]
        [Description("Exit after this long without a job, e.g. 5m.")]
        public string? IdleExit { get; init; }

        public override ValidationResult Validate() =>
            IdleExit is not null && !Durations.TryParse(IdleExit, out _) ? ValidationResult.Error($"--idle-exit '{IdleExit}' is not a duration: use e.g. 30s or 5m.")
            : MaxJobs is < 1 ? ValidationResult.Error("--max-jobs must be at least 1.")
            : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        using var logging = LogSetup.Create(settings.Verbose);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(logging);
        builder.Services.AddCallerOwnedLifetime();
        var pipeline = new PipelineOptions { JobQueue = settings.Queue, Transport = settings.TransportSettings, CacheDirectory = Path.Combine(settings.DataDirectory, "cache") };
        builder.Services.AddParaphrasePipeline(pipeline, StorageAccount.Connect(settings.Storage));
        builder.Services.AddTrainerWorker(settings.ToWorkerOptions() with
        {
            MaxJobs = settings.MaxJobs, IdleExit = settings.IdleExit is null ? null : Durations.Parse(settings.IdleExit, "--idle-exit"),
        });
        using var host = builder.Build();
        string transport = pipeline.Transport.Kind == Pipeline.Jobs.JobTransportKind.ServiceBus ? "Service Bus queue" : "storage queue";
        Terminal.Info($"Trainer worker waiting for jobs on {transport} '{settings.Queue}'. Ctrl-C stops (a running job is handed back and resumes from its last checkpoint).");
        await host.RunAsync(cancellationToken);
        return 0;
    }
}
