namespace Paraphrase.Core.Artifacts;

/// <summary>
/// How an export directory names its files — <c>model.&lt;variant&gt;.onnx</c> with its manifest <c>model.&lt;variant&gt;.json</c>
/// beside it — and which variant a server takes when none is asked for: fused, then portable, then int8 (int8's labels
/// depend slightly on the rest of the batch, so it is served only when asked for or alone).
/// </summary>
public static class ExportFiles
{
    public static readonly IReadOnlyList<OnnxVariant> ServingPreference = [OnnxVariant.Fused, OnnxVariant.Portable, OnnxVariant.Int8];

    public static string Name(OnnxVariant variant) => variant.ToString().ToLowerInvariant();

    public static string Model(OnnxVariant variant) => $"model.{Name(variant)}.onnx";

    public static string Manifest(OnnxVariant variant) => $"model.{Name(variant)}.json";

    /// <summary>The manifest beside an .onnx file.</summary>
    public static string ManifestOf(string onnxFile) => Path.ChangeExtension(onnxFile, ".json");
}
