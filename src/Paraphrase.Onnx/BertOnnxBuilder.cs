using Onnx;
using Paraphrase.Training.Modeling;

namespace Paraphrase.Onnx;

/// <summary>
/// Writes a <see cref="BertForSequenceClassification"/> as an ONNX graph with Hugging Face's interface:
/// int64 inputs <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c> [batch, sequence] and float
/// output <c>logits</c> [batch, num_labels]. The variant chooses standard operators, ONNX Runtime's fused
/// transformer operators, or int8 products.
/// </summary>
internal sealed class BertOnnxBuilder
{
    public const int Opset = 17;

    private readonly BertConfig _config;
    private readonly BertWeights _weights;
    private readonly OnnxVariant _variant;
    private readonly GptqQuantizer? _gptq;
    private readonly bool _probes;
    private readonly OnnxGraphBuilder _g = new();

    private BertOnnxBuilder(BertForSequenceClassification model, OnnxVariant variant, GptqQuantizer? gptq, bool probes)
    {
        _config = model.Config;
        _weights = new BertWeights(model);
        _variant = variant;
        _gptq = gptq;
        _probes = probes;
    }

    /// <param name="gptq">For int8: calibrated error-compensating rounding of the weights; without it, round to nearest.</param>
    public static ModelProto Build(BertForSequenceClassification model, OnnxVariant variant, GptqQuantizer? gptq = null) =>
        new BertOnnxBuilder(model, variant, gptq, probes: false).Build();

    /// <summary>The fused float32 graph with the input of each product the int8 graph quantizes as an extra output.</summary>
    public static ModelProto BuildProbe(BertForSequenceClassification model) => new BertOnnxBuilder(model, OnnxVariant.Fused, null, probes: true).Build();

    private bool Fused => _variant != OnnxVariant.Portable;

    private ModelProto Build()
    {
        string ids = _g.AddIdsInput("input_ids");
        string mask = _g.AddIdsInput("attention_mask");
        string types = _g.AddIdsInput("token_type_ids");
        _g.AddOutput("logits", "batch", _config.NumLabels);

        var (hidden, attentionMask) = Fused ? FusedEmbeddings(ids, types, mask) : Embeddings(ids, types, mask);
        for (int layer = 0; layer < _config.NumHiddenLayers; layer++)
        {
            hidden = Layer(hidden, attentionMask, $"bert.encoder.layer.{layer}.");
        }

        string first = _g.Node("Gather", [hidden, _g.ScalarInt64("cls_index", 0)], domain: null, attributes: ("axis", 1L)); // (B, hidden)
        string pooled = _g.Node("Tanh", [Gemm(first, "bert.pooler.dense")]);
        _g.Node("Gemm", [pooled, Weight("classifier.weight"), Weight("classifier.bias")], "logits", null, ("transB", 1L));
        return _g.Build(usesMicrosoftDomain: Fused);
    }

    /// <returns>Embeddings (B, T, hidden) and the additive attention mask.</returns>
    private (string Hidden, string Mask) Embeddings(string ids, string types, string mask)
    {
        const string prefix = "bert.embeddings.";
        string words = _g.Node("Gather", [Weight(prefix + "word_embeddings.weight"), ids]);
        string segments = _g.Node("Gather", [Weight(prefix + "token_type_embeddings.weight"), types]);
        string length = _g.Node("Gather", [_g.Node("Shape", [ids]), _g.ScalarInt64("sequence_axis", 1)]);
        string positions = _g.Node("Range", [_g.ScalarInt64("zero", 0), length, _g.ScalarInt64("one", 1)]);
        string positional = _g.Node("Gather", [Weight(prefix + "position_embeddings.weight"), positions]);
        string sum = _g.Node("Add", [_g.Node("Add", [words, segments]), positional]);
        return (LayerNorm(sum, prefix + "LayerNorm"), MaskBias(mask));
    }

    /// <summary>The additive attention mask (B, 1, 1, T): 0 for tokens, the most negative float for padding (as Hugging Face).</summary>
    private string MaskBias(string mask)
    {
        string maskFloat = _g.Node("Cast", [mask], domain: null, attributes: ("to", (long)TensorProto.Types.DataType.Float));
        string inverted = _g.Node("Sub", [_g.ScalarFloat("one_float", 1f), maskFloat]);
        string bias = _g.Node("Mul", [inverted, _g.ScalarFloat("mask_value", float.MinValue)]);
        return _g.Node("Unsqueeze", [bias, _g.Int64s("mask_axes", 1, 2)]);
    }

    /// <returns>Embeddings (B, T, hidden) and the raw int32 mask (B, T) the attention operators take.</returns>
    private (string Hidden, string Mask) FusedEmbeddings(string ids, string types, string mask)
    {
        const string prefix = "bert.embeddings.";
        string Int32(string input) => _g.Node("Cast", [input], domain: null, attributes: ("to", (long)TensorProto.Types.DataType.Int32));
        string mask32 = Int32(mask);
        var outputs = _g.Node("EmbedLayerNormalization",
            [Int32(ids), Int32(types), Weight(prefix + "word_embeddings.weight"), Weight(prefix + "position_embeddings.weight"),
             Weight(prefix + "token_type_embeddings.weight"), Weight(prefix + "LayerNorm.weight"), Weight(prefix + "LayerNorm.bias"), mask32],
            ["embeddings", "embedding_mask_index"], OnnxGraphBuilder.MicrosoftDomain, ("epsilon", (float)_config.LayerNormEps));
        return (outputs[0], mask32);
    }

    private string Layer(string hidden, string mask, string prefix)
    {
        string self = prefix + "attention.self";
        string context = _variant switch
        {
            OnnxVariant.Portable => Attention(hidden, mask, self + "."),
            OnnxVariant.Fused => FusedAttention(Probe(hidden, self + ".qkv"), mask, self + "."),
            _ => QuantizedAttention(hidden, mask, self + "."),
        };
        string attended = Residual(context, hidden, prefix + "attention.output.");
        string intermediate = Gelu(attended, prefix + "intermediate.dense");
        return Residual(intermediate, attended, prefix + "output.", geluOutput: true);
    }

    /// <summary>Attention from standard operators: projections, (B, heads, T, d) products, softmax.</summary>
    private string Attention(string hidden, string maskBias, string prefix)
    {
        long heads = _config.NumAttentionHeads, size = _config.HeadSize;
        string split = _g.Int64s(prefix + "split_shape", 0, 0, heads, size);
        string Heads(string projection, long[] permutation) =>
            _g.Node("Transpose", [_g.Node("Reshape", [Linear(hidden, prefix + projection), split])], domain: null, attributes: ("perm", permutation));
        string query = Heads("query", [0, 2, 1, 3]);        // (B, H, T, d)
        string keyT = Heads("key", [0, 2, 3, 1]);           // (B, H, d, T)
        string value = Heads("value", [0, 2, 1, 3]);        // (B, H, T, d)
        string scores = _g.Node("Mul", [_g.Node("MatMul", [query, keyT]), _g.ScalarFloat(prefix + "scale", 1f / MathF.Sqrt(size))]);
        string probabilities = _g.Node("Softmax", [_g.Node("Add", [scores, maskBias])], domain: null, attributes: ("axis", -1L));
        string context = _g.Node("Transpose", [_g.Node("MatMul", [probabilities, value])], domain: null, attributes: ("perm", new long[] { 0, 2, 1, 3 }));
        return _g.Node("Reshape", [context, _g.Int64s(prefix + "merge_shape", 0, 0, _config.HiddenSize)]);
    }

    /// <summary>Query, key and value weights side by side as one [hidden, 3·hidden] matrix, and their biases.</summary>
    private (float[] Weight, float[] Bias) MergedProjections(string prefix)
    {
        int h = _config.HiddenSize;
        var weight = new float[h * 3 * h];
        var bias = new float[3 * h];
        string[] parts = ["query", "key", "value"];
        for (int p = 0; p < 3; p++)
        {
            var w = _weights.Transposed(prefix + parts[p] + ".weight"); // [in, out]
            for (int r = 0; r < h; r++)
            {
                Array.Copy(w, r * h, weight, r * 3 * h + p * h, h);
            }

            Array.Copy(_weights.Get(prefix + parts[p] + ".bias"), 0, bias, p * h, h);
        }

        return (weight, bias);
    }

    /// <summary>ONNX Runtime's Attention operator with the three projections merged into one product.</summary>
    private string FusedAttention(string hidden, string mask, string prefix)
    {
        int h = _config.HiddenSize;
        var (weight, bias) = MergedProjections(prefix);
        return _g.Node("Attention",
            [hidden, _g.Initializer(prefix + "qkv.weight", weight, h, 3 * h), _g.Initializer(prefix + "qkv.bias", bias, 3 * h), mask],
            output: null, OnnxGraphBuilder.MicrosoftDomain, ("num_heads", (long)_config.NumAttentionHeads));
    }

    /// <summary>
    /// ONNX Runtime's QAttention: the merged projection weights in int8, its input quantized once per tensor. Unlike
    /// the other products, the projections tolerate one activation scale per batch (their input is a LayerNorm
    /// output), and QAttention saves the per-token passes, a Split and a separate attention operator: about 1.6×
    /// instead of 1.44× the fused throughput on MiniLM, with the same agreement (benchmarks/README.md).
    /// </summary>
    private string QuantizedAttention(string hidden, string mask, string prefix)
    {
        int h = _config.HiddenSize;
        var (weight, bias) = MergedProjections(prefix);
        var (values, scales) = QuantizeWeight(prefix + "qkv", weight, h, 3 * h);
        var quantized = _g.Node("DynamicQuantizeLinear", [hidden], [prefix + "input_uint8", prefix + "input_scale", prefix + "input_zero_point"], domain: null);
        return _g.Node("QAttention",
            [quantized[0], _g.Initializer(prefix + "qkv.weight_int8", values, h, 3 * h), _g.Initializer(prefix + "qkv.bias", bias, 3 * h), quantized[1],
             _g.Initializer(prefix + "qkv.weight_scale", scales, 3 * h), mask, quantized[2]],
            output: null, OnnxGraphBuilder.MicrosoftDomain, ("num_heads", (long)_config.NumAttentionHeads));
    }

    /// <summary>|min GELU(x)| = 0.16997 (at x ≈ −0.75), rounded up.</summary>
    private const float GeluLowerBound = 0.17f;

    private (sbyte[] Values, float[] Scales) QuantizeWeight(string product, float[] weight, int rows, int columns) =>
        _gptq?.Quantize(product, weight, rows, columns) ?? Int8Quantizer.PerColumn(weight, rows, columns);

    /// <summary>dense, dropout (none at inference), residual add, LayerNorm.</summary>
    /// <param name="geluOutput">Whether <paramref name="input"/> comes out of a GELU (see <see cref="QuantizedMatMul"/>).</param>
    private string Residual(string input, string skip, string prefix, bool geluOutput = false)
    {
        string dense = prefix + "dense";
        string product = _variant switch
        {
            OnnxVariant.Portable => Linear(input, dense),
            OnnxVariant.Fused => _g.Node("Add", [_g.Node("MatMul", [Probe(input, dense), TransposedWeight(dense)]), Weight(dense + ".bias")]),
            _ => _g.Node("Add", [QuantizedMatMul(input, dense, geluOutput), Weight(dense + ".bias")]),
        };

        // Add + LayerNormalization rather than ONNX Runtime's SkipLayerNormalization: its CPU kernel is about three times
        // slower than the two (ONNX Runtime 1.31); CPU sessions keep the pair apart, CUDA sessions may fuse it.
        return LayerNorm(_g.Node("Add", [product, skip]), prefix + "LayerNorm");
    }

    /// <summary>Exact (erf) GELU of a dense layer's output.</summary>
    private string Gelu(string input, string dense)
    {
        if (Fused)
        {
            string product = _variant == OnnxVariant.Int8 ? QuantizedMatMul(input, dense) : _g.Node("MatMul", [Probe(input, dense), TransposedWeight(dense)]);
            return _g.Node("BiasGelu", [product, Weight(dense + ".bias")], output: null, OnnxGraphBuilder.MicrosoftDomain);
        }

        string x = Linear(input, dense);
        string erf = _g.Node("Erf", [_g.Node("Mul", [x, _g.ScalarFloat(dense + ".inv_sqrt2", 1f / MathF.Sqrt(2f))])]);
        return _g.Node("Mul", [_g.Node("Mul", [x, _g.ScalarFloat(dense + ".half", 0.5f)]), _g.Node("Add", [erf, _g.ScalarFloat(dense + ".one", 1f)])]);
    }

    /// <summary>x·Wᵀ + b in float32.</summary>
    private string Linear(string input, string prefix) =>
        _g.Node("Add", [_g.Node("MatMul", [input, TransposedWeight(prefix)]), Weight(prefix + ".bias")]);

    /// <summary>
    /// x·Wᵀ with W in int8 (symmetric, one scale per output column) and x in uint8, quantized at run time per token.
    /// ONNX Runtime's fast kernel (DynamicQuantizeMatMul) quantizes its input with one scale for the whole tensor,
    /// which lets a few large tokens coarsen every other token of the batch (97.5 % agreement with float32 on MRPC
    /// dev for a MiniLM fine-tune). So each token (row) is first divided by its largest |x| and the product multiplied
    /// back by it: on rows that all span [−1, 1], one scale per tensor is in effect one scale per token.
    /// </summary>
    /// <param name="geluOutput">
    /// The input is a GELU's output, never below −0.17: its largest |x| is its largest x (the widest input, so skipping
    /// the row minimum saves about 2 % of the int8 run time).
    /// </param>
    private string QuantizedMatMul(string input, string prefix, bool geluOutput = false)
    {
        var shape = _weights.Shape(prefix + ".weight");
        int rows = (int)shape[1], columns = (int)shape[0];
        var weight = _weights.Transposed(prefix + ".weight");
        var (values, scales) = QuantizeWeight(prefix, weight, rows, columns);
        (string, object)[] lastAxis = [("axes", new long[] { -1 }), ("keepdims", 1L)];
        string largest = _g.Node("ReduceMax", [input], domain: null, attributes: lastAxis);
        string rowScale = geluOutput
            ? _g.Node("Max", [largest, _g.ScalarFloat(prefix + ".gelu_bound", GeluLowerBound)])
            : _g.Node("Max", [largest, _g.Node("Neg", [_g.Node("ReduceMin", [input], domain: null, attributes: lastAxis)]), _g.ScalarFloat(prefix + ".min_row_scale", 1e-12f)]);
        string normalized = _g.Node("Div", [input, rowScale]);
        string product = _g.Node("DynamicQuantizeMatMul",
            [normalized, _g.Initializer(prefix + ".weight_int8", values, rows, columns), _g.Initializer(prefix + ".weight_scale", scales, columns)],
            output: null, OnnxGraphBuilder.MicrosoftDomain);
        return _g.Node("Mul", [product, rowScale]);
    }

    /// <summary>In the calibration graph, exposes the input of the product named <paramref name="product"/> as an output.</summary>
    private string Probe(string input, string product)
    {
        if (_probes)
        {
            _g.AddOutput(_g.Node("Identity", [input], GptqQuantizer.OutputName(product)), "batch", "sequence", "channels");
        }

        return input;
    }

    private string Gemm(string input, string prefix) =>
        _g.Node("Gemm", [input, Weight(prefix + ".weight"), Weight(prefix + ".bias")], domain: null, attributes: ("transB", 1L));

    private string LayerNorm(string input, string prefix) =>
        _g.Node("LayerNormalization", [input, Weight(prefix + ".weight"), Weight(prefix + ".bias")], domain: null,
            attributes: [("axis", -1L), ("epsilon", (float)_config.LayerNormEps)]);

    private readonly HashSet<string> _added = [];

    /// <summary>A parameter as an initializer under its Hugging Face name (added once).</summary>
    private string Weight(string name)
    {
        if (_added.Add(name))
        {
            _g.Initializer(name, _weights.Get(name), _weights.Shape(name));
        }

        return name;
    }

    private string TransposedWeight(string prefix)
    {
        string name = prefix + ".weight_t";
        if (_added.Add(name))
        {
            var shape = _weights.Shape(prefix + ".weight");
            _g.Initializer(name, _weights.Transposed(prefix + ".weight"), shape[1], shape[0]);
        }

        return name;
    }
}
