using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paraphrase.Core.Artifacts;

/// <summary>
/// How this project writes its JSON files (metrics, state, manifests, reports): indented snake_case, nulls left out,
/// NaN written as "NaN" (an epoch without steps has no mean loss).
/// </summary>
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
