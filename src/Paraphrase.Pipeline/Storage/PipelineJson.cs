using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paraphrase.Pipeline.Storage;

/// <summary>How the pipeline's own JSON files (run.json, job.json, champion history, trigger state) are written.</summary>
public static class PipelineJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>One line of a .jsonl file.</summary>
    public static readonly JsonSerializerOptions Line = new(Options) { WriteIndented = false };
}
