using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Paraphrase.Pipeline.Activities;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Triggers;

namespace Paraphrase.Functions.Durable;

/// <summary>
/// The orchestrations and activities as functions, under the names the orchestrator calls them by. Each delegates to the
/// pipeline's own class (the local host registers the same classes with the Durable Task worker).
/// </summary>
public static class PipelineTaskFunctions
{
    [Function(nameof(TrainingPipelineOrchestrator))]
    public static Task<PipelineRunOutput> TrainingPipeline([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new TrainingPipelineOrchestrator().RunAsync(context, context.GetInput<PipelineRunInput>()!);

    [Function(nameof(UploadSettleOrchestrator))]
    public static Task<UploadScan?> UploadSettle([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new UploadSettleOrchestrator().RunAsync(context, context.GetInput<string>()!);

    [Function(nameof(IngestDatasetActivity))]
    public static Task<IngestResult> Ingest([ActivityTrigger] PipelineRunInput input, string instanceId, FunctionContext function) =>
        ActivityInvoker.RunAsync<IngestDatasetActivity, PipelineRunInput, IngestResult>(function, instanceId, input);

    [Function(nameof(TokenizeDatasetActivity))]
    public static Task<TokenizeResult> Tokenize([ActivityTrigger] TokenizeInput input, string instanceId, FunctionContext function) =>
        ActivityInvoker.RunAsync<TokenizeDatasetActivity, TokenizeInput, TokenizeResult>(function, instanceId, input);

    [Function(nameof(DispatchJobActivity))]
    public static Task<JobStatusFile> DispatchJob([ActivityTrigger] TrainerJob input, string instanceId, FunctionContext function) =>
        ActivityInvoker.RunAsync<DispatchJobActivity, TrainerJob, JobStatusFile>(function, instanceId, input);

    [Function(nameof(ReadJobStatusActivity))]
    public static Task<JobStatusFile> ReadJobStatus([ActivityTrigger] JobQuery input, string instanceId, FunctionContext function) =>
        ActivityInvoker.RunAsync<ReadJobStatusActivity, JobQuery, JobStatusFile>(function, instanceId, input);

    [Function(nameof(EvaluateCandidateActivity))]
    public static Task<CandidateEvaluation> Evaluate([ActivityTrigger] EvaluateInput input, string instanceId, FunctionContext function) =>
        ActivityInvoker.RunAsync<EvaluateCandidateActivity, EvaluateInput, CandidateEvaluation>(function, instanceId, input);

    [Function(nameof(PromoteCandidateActivity))]
    public static Task<PromotionDecision> Promote([ActivityTrigger] PromoteInput input, string instanceId, FunctionContext function) =>
        ActivityInvoker.RunAsync<PromoteCandidateActivity, PromoteInput, PromotionDecision>(function, instanceId, input);

    [Function(nameof(RecordRunActivity))]
    public static Task<bool> RecordRun([ActivityTrigger] RecordRunInput input, string instanceId, FunctionContext function) =>
        ActivityInvoker.RunAsync<RecordRunActivity, RecordRunInput, bool>(function, instanceId, input);

    /// <summary>Starting a run needs a durable client, which functions get from a binding rather than from the container.</summary>
    [Function(nameof(ScanUploadActivity))]
    public static Task<UploadScan?> ScanUpload([ActivityTrigger] string dataset, string instanceId, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        ActivityInvoker.RunAsync<ScanUploadActivity, string, UploadScan?>(function, instanceId, dataset, client);
}
