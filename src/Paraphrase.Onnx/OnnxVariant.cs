namespace Paraphrase.Onnx;

/// <summary>The forms an exported classifier can take.</summary>
public enum OnnxVariant
{
    /// <summary>Standard ONNX operators only (opset 17): any ONNX runtime can run it.</summary>
    Portable,

    /// <summary>ONNX Runtime's fused transformer operators (EmbedLayerNormalization, Attention, SkipLayerNormalization, BiasGelu).</summary>
    Fused,

    /// <summary>Weights quantized to int8 per output channel, activations quantized dynamically (DynamicQuantizeMatMul).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "int8 is the variant's name in file names and on the command line.")]
    Int8,
}
