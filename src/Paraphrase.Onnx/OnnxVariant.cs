namespace Paraphrase.Onnx;

/// <summary>The forms an exported classifier can take.</summary>
public enum OnnxVariant
{
    /// <summary>Standard ONNX operators only (opset 17): any ONNX runtime can run it.</summary>
    Portable,

    /// <summary>
    /// ONNX Runtime's fused transformer operators (EmbedLayerNormalization, Attention, BiasGelu) and ONNX's own fused
    /// LayerNormalization after each residual Add, which CUDA sessions turn into SkipLayerNormalization and CPU sessions,
    /// where that kernel is slower, leave as it is.
    /// </summary>
    Fused,

    /// <summary>
    /// The fused graph with every encoder product in int8: weights per output channel, activations quantized at run time
    /// per token (DynamicQuantizeMatMul on row-normalized inputs), except the attention projections (QAttention,
    /// per tensor). For CPUs.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "int8 is the variant's name in file names and on the command line.")]
    Int8,
}
