using Paraphrase.Core.Artifacts;
using Paraphrase.Pipeline.Jobs;

namespace Paraphrase.Pipeline.Contracts;

public sealed record TokenizeInput(string RunId, IngestResult Data, BaseModelInfo BaseModel, int? MaxLength);

public sealed record EvaluateInput(string RunId, IngestResult Data);

public sealed record PromoteInput(string RunId, string Dataset, CandidateEvaluation Evaluation, PromotionRule Rule);

public sealed record JobQuery(string RunId, JobKind Kind);

public sealed record RecordRunInput(RunRecord Record);

/// <summary>What the orchestration needs to build trainer jobs.</summary>
internal static class TrainerJobs
{
    public static string OptionsJson(TrainingOptions options) => System.Text.Json.JsonSerializer.Serialize(options, Storage.PipelineJson.Line);
}
