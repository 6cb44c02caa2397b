namespace Paraphrase.Inference;

/// <summary>How a classifier runs.</summary>
public sealed record InferenceOptions
{
    /// <summary>auto (CUDA when ONNX Runtime can use it, else CPU), cpu or cuda.</summary>
    public string ExecutionProvider { get; init; } = "auto";

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime decide (one per core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>For a directory holding several exports: which to load (fused, portable, int8); null picks fused, then portable, then int8.</summary>
    public string? Variant { get; init; }

    /// <summary>Longest encoding; null: the model's max_position_embeddings (config.json), else 512.</summary>
    public int? MaxLength { get; init; }
}
