namespace Paraphrase.Core.Artifacts;

/// <summary>What sits beside each exported model (model.&lt;variant&gt;.json): enough to serve and audit it.</summary>
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
    System.Text.Json.Nodes.JsonNode? SourceMetrics)
{
    public void Save(string path) => System.IO.File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(this, JsonDefaults.Options));

    public static ExportManifest Load(string path) =>
        System.Text.Json.JsonSerializer.Deserialize<ExportManifest>(System.IO.File.ReadAllText(path), JsonDefaults.Options)
        ?? throw new InvalidDataException($"{path}: empty export manifest");
}
