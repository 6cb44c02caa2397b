using System.Text.Json;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Jobs;

/// <summary>The typed results that jobs leave in job.json.</summary>
public static class JobResults
{
    public static BaseModelInfo BaseModel(JobStatusFile status) =>
        status.Result?.Deserialize<BaseModelInfo>(PipelineJson.Options)
        ?? throw new InvalidDataException($"the base-model job of {status.RunId} completed without saying where the model is");

    public static System.Text.Json.Nodes.JsonNode ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, PipelineJson.Options)!;
}
