using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paraphrase.Core.Artifacts;

/// <summary>How this project writes its JSON files (metrics, state, manifests): indented snake_case, nulls left out.</summary>
public static class JsonDefaults
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
