namespace Paraphrase.Onnx;

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
    System.Text.Json.Nodes.JsonNode? SourceMetrics);
