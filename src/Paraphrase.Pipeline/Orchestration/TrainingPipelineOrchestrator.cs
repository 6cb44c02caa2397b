using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Paraphrase.Pipeline.Activities;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Orchestration;

/// <summary>
/// One training run: ingest → stage the base model → tokenize → fine-tune → export → evaluate → promote. It decides
/// and the activities do: no I/O here, time from the context, small records in and out. Every stage is idempotent, so
/// a replay, a retried activity or a restarted host redoes nothing that finished. The trainer's work runs as jobs on
/// the worker, watched by a durable-timer loop over the run's job.json.
/// </summary>
public sealed partial class TrainingPipelineOrchestrator : TaskOrchestrator<PipelineRunInput, PipelineRunOutput>
{
    /// <summary>Storage hiccups are retried with backoff; failures marked permanent are not.</summary>
    internal static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30))
    {
        HandleFailure = failure => !failure.IsCausedBy<PipelineFailedException>(),
    });

    /// <summary>
    /// Each extra comparison needs another run's promotion in between, so this bounds how many runs may finish at once
    /// before one of them gives up.
    /// </summary>
    private const int MaxComparisons = 20;

    public override async Task<PipelineRunOutput> RunAsync(TaskOrchestrationContext context, PipelineRunInput input)
    {
        var logger = context.CreateReplaySafeLogger<TrainingPipelineOrchestrator>();
        var run = new RunProgress(context, input);
        try
        {
            var data = await run.Stage(PipelineStages.Ingest, () => context.CallActivityAsync<IngestResult>(nameof(IngestDatasetActivity), input, Retry));
            var baseJob = await run.Stage(PipelineStages.PrepareBaseModel, () => new JobWatch(context, input, run).RunAsync(JobKind.PrepareBaseModel,
                new TrainerJobPaths(input.BaseModel, BaseModelKeys.For(input.BaseModel))));
            var baseModel = JobResults.BaseModel(baseJob);
            run.Record = run.Record with { StagedBaseModel = baseModel };

            var tokens = await run.Stage(PipelineStages.Tokenize, () => context.CallActivityAsync<TokenizeResult>(nameof(TokenizeDatasetActivity),
                new TokenizeInput(input.RunId, data, baseModel, input.Training.MaxLength), Retry), result => result.Shards.All(s => s.CacheHit));

            string Shard(string split) => tokens.Shards.First(s => s.Split == split).Blob;
            var paths = new TrainerJobPaths(input.BaseModel, baseModel.Key, Shard("train"), Shard("dev"), data.Split("dev").Blob, data.Split("train").Blob,
                TrainerJobs.OptionsJson(input.Training), ["fused"]);
            await run.Stage(PipelineStages.Train, () => new JobWatch(context, input, run).RunAsync(JobKind.Train, paths));
            await run.Stage(PipelineStages.Export, () => new JobWatch(context, input, run).RunAsync(JobKind.Export, paths));

            CandidateEvaluation evaluation;
            PromotionDecision decision;
            int rounds = 0;
            do
            {
                // Another run may promote between our evaluation and our promotion; then the comparison is stale: redo it.
                evaluation = await run.Stage(PipelineStages.Evaluate, () => context.CallActivityAsync<CandidateEvaluation>(nameof(EvaluateCandidateActivity),
                    new EvaluateInput(input.RunId, data), Retry));
                decision = await run.Stage(PipelineStages.Promote, () => context.CallActivityAsync<PromotionDecision>(nameof(PromoteCandidateActivity),
                    new PromoteInput(input.RunId, input.Dataset, evaluation, input.Promotion), Retry));
            }
            while (decision.ChampionChanged && ++rounds < MaxComparisons);

            if (decision.ChampionChanged)
            {
                throw new PipelineFailedException("the champion kept changing while this run was being compared with it; start the run again");
            }

            var dev = evaluation.Dev;
            run.Record = run.Record with { Status = RunRecord.Completed, Scores = evaluation.Scores, Decision = decision };
            context.SetCustomStatus(new PipelineStatus(PipelineStages.Done, Message: decision.Reason));
            await run.SaveAsync();
            Finished(logger, input.RunId, decision.Reason);
            return new PipelineRunOutput(input.RunId, dev.Candidate, decision.Promoted, decision.Reason, ArtifactPaths.ExportFolder(input.RunId).ToString(), dev.Champion);
        }
        catch (Exception e) when (e is TaskFailedException or PipelineFailedException)
        {
            string message = e is TaskFailedException failed ? failed.FailureDetails.ErrorMessage : e.Message;
            run.Record = run.Record with { Status = RunRecord.Failed, Error = message };
            context.SetCustomStatus(new PipelineStatus(PipelineStages.Failed, Message: message));
            await run.SaveAsync();
            RunFailed(logger, input.RunId, message);
            throw new PipelineFailedException(message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: {Decision}")]
    private static partial void Finished(ILogger logger, string runId, string decision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} failed: {Error}")]
    private static partial void RunFailed(ILogger logger, string runId, string error);
}
