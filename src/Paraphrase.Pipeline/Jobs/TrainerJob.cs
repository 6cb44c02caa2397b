namespace Paraphrase.Pipeline.Jobs;

/// <summary>What a trainer job does: stage the base model, fine-tune, or export to ONNX.</summary>
public enum JobKind
{
    PrepareBaseModel,
    Train,
    Export,
}

/// <summary>
/// A queue message for the trainer worker: only references. Everything the job reads and writes is in the artifact
/// store under the paths given; the job's state is in <c>runs/&lt;id&gt;/job.json</c>.
/// </summary>
public sealed record TrainerJob(string RunId, JobKind Kind, int Attempt, TrainerJobPaths Paths);

/// <param name="BaseModel">The base model's source (a hub id, nuget:…, or a blob folder <c>models/base/&lt;key&gt;/</c>).</param>
/// <param name="BaseModelKey">Where the staged base model lives: <c>models/base/&lt;key&gt;/</c>.</param>
/// <param name="TrainTokens">Token shard blob (container tokens) for train; null for jobs that do not train.</param>
/// <param name="DevTokens">Token shard blob for dev.</param>
/// <param name="DevData">The run's normalized dev pairs (container runs), for checking the export.</param>
/// <param name="TrainData">The run's normalized train pairs, which calibrate int8 exports.</param>
/// <param name="Options">The resolved training options (JSON, camelCase).</param>
public sealed record TrainerJobPaths(
    string BaseModel,
    string BaseModelKey,
    string? TrainTokens = null,
    string? DevTokens = null,
    string? DevData = null,
    string? TrainData = null,
    string? Options = null,
    IReadOnlyList<string>? Variants = null);
