using System.Text.Json;
using System.Text.Json.Nodes;

namespace Paraphrase.Inference.Serving;

/// <summary>
/// Where the service gets its model: a model directory or .onnx file as given, or a champion.json
/// (<c>{"model": "path/to/export"}</c>, relative to the file) that the pipeline rewrites to promote a new model.
/// </summary>
public static class ChampionPointer
{
    public static bool IsPointer(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The model the source names now.</summary>
    public static string Resolve(string source)
    {
        if (!IsPointer(source))
        {
            return source;
        }

        if (!File.Exists(source))
        {
            throw new InferenceException($"{source}: no such champion file.");
        }

        try
        {
            string? model = JsonNode.Parse(File.ReadAllText(source))?["model"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(model))
            {
                throw new InferenceException($"{source}: no \"model\" field; a champion file looks like {{\"model\": \"models/mrpc\"}}.");
            }

            return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source))!, model));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InferenceException($"{source}: not a valid champion file ({e.Message}).");
        }
    }
}
