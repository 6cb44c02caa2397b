namespace Paraphrase.Core.Artifacts;

/// <summary>What sits beside each exported model (model.&lt;variant&gt;.json): enough to serve and audit it.</summary>
/// <param name="Variant">portable, fused or int8 (see <see cref="ExportFiles"/>).</param>
/// <param name="File">The model's file name, relative to the manifest.</param>
/// <param name="Source">The model directory the export was made from.</param>
/// <param name="Quantization">How int8 weights were rounded and on what; null for float variants.</param>
/// <param name="SourceMetrics">The source run's per-epoch history (metrics.json's history), when it had one.</param>
public sealed record ExportManifest(
    string Variant,
    string File,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    int Opset,
    IReadOnlyList<string> Domains,
    string VocabularySha256,
    string SourceCheckpointSha256,
    string Source,
    ExportVerification Parity,
    string? Quantization,
    DateTimeOffset Created,
    IReadOnlyList<EpochRecord>? SourceMetrics)
{
    /// <summary>Writes the manifest atomically.</summary>
    public void Save(string path) => ArtifactJson.Write(path, this);

    /// <exception cref="InvalidDataException">The file is empty or not a manifest.</exception>
    public static ExportManifest Load(string path) => ArtifactJson.Read<ExportManifest>(path, "export manifest");
}
