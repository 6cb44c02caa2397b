using System.Text.Json;
using System.Text.Json.Serialization;
using Paraphrase.Core.IO;

namespace Paraphrase.Core.Artifacts;

/// <summary>
/// champion.json: which model the service should serve. The pipeline rewrites it to promote a model; the service
/// follows it. Only <see cref="Model"/> is needed to serve; the rest says where the model came from, so that an
/// operator (or <c>GET /api/model</c>) can tell without digging through run folders. Files holding only
/// <c>{"model": "..."}</c>, the original format, still read.
/// </summary>
public sealed record ChampionPointerFile
{
    // Private on purpose: this record owns its format, whatever the shared defaults of other files become.
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>The model folder (or .onnx file), relative to the pointer file so that the pair can move together.</summary>
    public required string Model { get; init; }

    /// <summary>The training run that produced the model.</summary>
    public string? RunId { get; init; }

    /// <summary>The dataset it was trained on (name or content hash).</summary>
    public string? Dataset { get; init; }

    /// <summary>The export variant: portable, fused or int8.</summary>
    public string? Variant { get; init; }

    /// <summary>Dev-set accuracy that won the promotion.</summary>
    public double? Accuracy { get; init; }

    /// <summary>Dev-set F1 that won the promotion.</summary>
    public double? F1 { get; init; }

    public DateTimeOffset? PromotedAt { get; init; }

    /// <summary>The model's full path, given where the pointer file lies.</summary>
    public string ResolveModel(string pointerPath) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(pointerPath))!, Model));

    /// <exception cref="InvalidDataException">Not JSON, not an object, or without a "model".</exception>
    public static ChampionPointerFile Parse(string json)
    {
        ChampionPointerFile? pointer;
        try
        {
            pointer = JsonSerializer.Deserialize<ChampionPointerFile>(json, Json);
        }
        catch (JsonException e)
        {
            // Also thrown for a missing "model": System.Text.Json enforces `required`.
            throw new InvalidDataException($"not a valid champion file ({e.Message}); a champion file looks like {{\"model\": \"models/mrpc\"}}.", e);
        }

        if (string.IsNullOrWhiteSpace(pointer?.Model))
        {
            throw new InvalidDataException("no \"model\" field; a champion file looks like {\"model\": \"models/mrpc\"}.");
        }

        return pointer;
    }

    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a champion pointer; the message names it.</exception>
    public static ChampionPointerFile Read(string path)
    {
        string json = File.ReadAllText(path);
        try
        {
            return Parse(json);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Replaces the file atomically: the service polls it, and must never read half of a promotion.
    /// </summary>
    public void Write(string path) =>
        AtomicFile.WriteAsync(path, stream => JsonSerializer.SerializeAsync(stream, this, Json)).GetAwaiter().GetResult();
}
