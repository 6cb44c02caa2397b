using System.Text.Json.Nodes;

namespace Paraphrase.Pipeline.Runs;

/// <summary>
/// A request to train on a dataset folder: from an upload, the schedule, or <c>POST /api/pipeline/runs</c>. Base model and
/// training options override the folder's pipeline.json; <see cref="Force"/> retrains an unchanged snapshot on purpose
/// (with a new seed unless the options name one).
/// </summary>
public sealed record RunRequest(string Dataset, string? BaseModel = null, JsonObject? Training = null, bool Force = false, string Trigger = "api");
