using Paraphrase.Core.Artifacts;

namespace Paraphrase.Serving;

/// <summary>
/// Where the service gets its model: a model directory or .onnx file as given, or a champion.json
/// (<see cref="ChampionPointerFile"/>) that the pipeline rewrites to promote a new model.
/// </summary>
public static class ChampionPointer
{
    public static bool IsPointer(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The model the source names now.</summary>
    public static string Resolve(string source) =>
        TryResolve(source) ?? throw new InferenceException($"{source}: no such champion file.");

    /// <summary>The model the source names now, or null for a pointer that has not been written yet.</summary>
    /// <remarks>A missing pointer is how the pipeline's host starts: nothing has been promoted so far.</remarks>
    public static string? TryResolve(string source)
    {
        if (!IsPointer(source))
        {
            return source;
        }

        try
        {
            return ChampionPointerFile.Read(source).ResolveModel(source);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (InvalidDataException e)
        {
            throw new InferenceException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InferenceException($"{source}: {e.Message}");
        }
    }
}
