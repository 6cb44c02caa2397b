namespace Paraphrase.Pipeline.Storage;

/// <summary>
/// Where everything lives in the artifact store (DESIGN.md): uploads under <c>datasets/</c>, token caches under
/// <c>tokens/</c>, one folder a run under <c>runs/</c>, the champion pointer and its history under <c>models/</c>,
/// and the triggers' own bookkeeping under <c>pipeline/</c>.
/// </summary>
public static class ArtifactPaths
{
    public const string Datasets = "datasets", Tokens = "tokens", Runs = "runs", Models = "models", State = "pipeline";

    public static readonly string[] Containers = [Datasets, Tokens, Runs, Models, State];

    public static BlobPath DatasetFolder(string dataset) => new(Datasets, $"{dataset}/");

    public static BlobPath RunFile(string runId, string name) => new(Runs, $"{runId}/{name}");

    public static BlobPath RunRecord(string runId) => RunFile(runId, "run.json");

    public static BlobPath JobStatus(string runId) => RunFile(runId, "job.json");

    public static BlobPath JobLease(string runId) => RunFile(runId, "job.lock");

    public static BlobPath CancelFlag(string runId) => RunFile(runId, "cancel");

    public static BlobPath RunData(string runId, string split) => RunFile(runId, $"data/{split}.jsonl");

    public static BlobPath ModelFolder(string runId) => RunFile(runId, "model/");

    public static BlobPath ExportFolder(string runId) => RunFile(runId, "export/");

    /// <summary>One uploaded checkpoint of a run, named by the optimizer steps it holds.</summary>
    public static BlobPath CheckpointFolder(string runId, int optimizerSteps) => RunFile(runId, $"checkpoints/step-{optimizerSteps:D8}/");

    /// <summary>Which checkpoint folder a new attempt resumes from (<see cref="Jobs.CheckpointPointer"/>).</summary>
    public static BlobPath CheckpointPointer(string runId) => RunFile(runId, "checkpoints/latest.json");

    public static BlobPath Evaluation(string runId) => RunFile(runId, "evaluation.json");

    public static BlobPath TokenShard(string key, string split) => new(Tokens, $"{key}/{split}.tokens.jsonl");

    public static BlobPath BaseModelFolder(string key) => new(Models, $"base/{key}/");

    public static BlobPath Champion => new(Models, "champion.json");

    public static BlobPath History => new(Models, "history.jsonl");

    /// <summary>Leased while a promotion or rollback reads the champion, decides and records: decisions take turns.</summary>
    public static BlobPath ChampionLock => new(Models, "champion.lock");

    public static BlobPath WatcherCursor => new(State, "watcher.json");

    public static BlobPath ScheduleState => new(State, "schedule.json");
}

/// <summary>A blob (or, ending in '/', a folder of blobs) in a container.</summary>
public sealed record BlobPath(string Container, string Name)
{
    public bool IsFolder => Name.EndsWith('/');

    public BlobPath Child(string name) => new(Container, Name + name);

    public override string ToString() => $"{Container}/{Name}";
}
