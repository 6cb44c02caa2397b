using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paraphrase.Pipeline.Activities;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Promotion;
using Paraphrase.Pipeline.Runs;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Pipeline.Triggers;

namespace Paraphrase.Pipeline;

/// <summary>What every host of the pipeline wires up: the same services, orchestrator and activities everywhere.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// The artifact store, champion store, planner, starter, status reader, run artifacts, promotion by hand and the job
    /// queue (Storage Queue or Service Bus).
    /// </summary>
    public static IServiceCollection AddParaphrasePipeline(this IServiceCollection services, PipelineOptions options, StorageAccount account)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(account);
        services.AddSingleton<ArtifactStore>();
        services.AddSingleton<ChampionStore>();
        services.AddSingleton<ModelCache>();
        services.AddSingleton<RunPlanner>();
        services.AddSingleton<PipelineRunStarter>();
        services.AddSingleton<RunStatusReader>();
        services.AddSingleton<RunArtifacts>();
        services.AddSingleton<ManualPromotion>();
        services.TryAddSingleton(_ => new JobQueueConnection(options.Transport.Connect(account, options.JobQueue)));
        services.TryAddSingleton(sp => sp.GetRequiredService<JobQueueConnection>().Sender);
        services.TryAddSingleton(sp => sp.GetRequiredService<JobQueueConnection>().Receiver);
        return services;
    }

    /// <summary>The upload watcher (the local stand-in for Event Grid) and the retraining scheduler.</summary>
    public static IServiceCollection AddPipelineTriggers(this IServiceCollection services)
    {
        services.AddSingleton<DatasetWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DatasetWatcher>());
        services.AddSingleton<RetrainingScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<RetrainingScheduler>());
        return services;
    }

    /// <summary>The orchestrator and its activities, by the names the orchestrator calls them.</summary>
    public static DurableTaskRegistry AddPipelineTasks(this DurableTaskRegistry registry) => registry
        .AddOrchestrator<TrainingPipelineOrchestrator>()
        .AddActivity<IngestDatasetActivity>()
        .AddActivity<TokenizeDatasetActivity>()
        .AddActivity<DispatchJobActivity>()
        .AddActivity<ReadJobStatusActivity>()
        .AddActivity<EvaluateCandidateActivity>()
        .AddActivity<PromoteCandidateActivity>()
        .AddActivity<RecordRunActivity>()
        .AddOrchestrator<UploadSettleOrchestrator>()
        .AddActivity<ScanUploadActivity>();
}

/// <summary>The job queue's sender and receiver; disposing it closes a Service Bus connection.</summary>
internal sealed class JobQueueConnection((IJobSender Sender, IJobReceiver Receiver, IAsyncDisposable? Connection) parts) : IAsyncDisposable
{
    public IJobSender Sender { get; } = parts.Sender;

    public IJobReceiver Receiver { get; } = parts.Receiver;

    public ValueTask DisposeAsync() => parts.Connection?.DisposeAsync() ?? ValueTask.CompletedTask;
}
