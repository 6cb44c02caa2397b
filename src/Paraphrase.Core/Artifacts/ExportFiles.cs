namespace Paraphrase.Core.Artifacts;

/// <summary>
/// The names of an export directory's files and the order a server picks its variants in: the exporter writes
/// by these names and every reader (classifier, server, pipeline) finds files by them.
/// </summary>
public static class ExportFiles
{
    public const string Portable = "portable", Fused = "fused";

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "int8 is the variant's name in file names and on the command line.")]
    public const string Int8 = "int8";

    /// <summary>
    /// Fused first (the fastest float32 graph, same logits as portable); portable next (standard operators only);
    /// int8 last, because its labels can depend on what else is in the batch (activations are quantized at run time).
    /// </summary>
    public static IReadOnlyList<string> ServingPreference { get; } = [Fused, Portable, Int8];

    /// <summary>model.&lt;variant&gt;.onnx</summary>
    public static string ModelFile(string variant) => $"model.{variant.ToLowerInvariant()}.onnx";

    /// <summary>model.&lt;variant&gt;.json, the <see cref="ExportManifest"/> beside the model.</summary>
    public static string ManifestFile(string variant) => $"model.{variant.ToLowerInvariant()}.json";

    /// <summary>The manifest that belongs to a model file (it may not exist: third-party exports have none).</summary>
    public static string ManifestBeside(string modelPath) => Path.ChangeExtension(modelPath, ".json");

    /// <summary>The variant a file name says it is (model.fused.onnx: fused), or null for any other name.</summary>
    public static string? VariantOf(string modelPath) =>
        Path.GetFileName(modelPath).Split('.') is ["model", var variant, "onnx"] && ServingPreference.Contains(variant) ? variant : null;

    /// <summary>The model file of <paramref name="variant"/> in <paramref name="directory"/>, or of the first variant present in serving order; null when there is none.</summary>
    public static string? FindModel(string directory, string? variant = null) =>
        (variant is null ? ServingPreference : [variant])
            .Select(name => Path.Combine(directory, ModelFile(name)))
            .FirstOrDefault(File.Exists);
}
