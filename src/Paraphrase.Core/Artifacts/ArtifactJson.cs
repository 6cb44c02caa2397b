using System.Text.Json;
using Paraphrase.Core.IO;

namespace Paraphrase.Core.Artifacts;

/// <summary>Reading and writing of the artifact records, so that every format fails the same way on a bad file.</summary>
internal static class ArtifactJson
{
    /// <param name="what">The format's name for the error message ("metrics", "export manifest").</param>
    /// <exception cref="InvalidDataException">The file is empty or does not hold that format.</exception>
    public static T Read<T>(string path, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), JsonDefaults.Options)
                ?? throw new InvalidDataException($"{path}: empty {what} file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid {what} file ({e.Message})", e);
        }
    }

    /// <summary>Writes atomically: a reader sees the previous file or the new one, never half of it.</summary>
    public static void Write<T>(string path, T value) =>
        AtomicFile.WriteAsync(path, stream => JsonSerializer.SerializeAsync(stream, value, JsonDefaults.Options)).GetAwaiter().GetResult();
}
