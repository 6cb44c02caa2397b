using System.Text.RegularExpressions;
using Google.Protobuf;
using Onnx;
using Paraphrase.Training.Modeling;
using static TorchSharp.torch;

namespace Paraphrase.Training.Import;

/// <summary>
/// Recovers Hugging Face BERT weights and configuration from an ONNX export (torch.onnx of a BertModel or
/// BertForSequenceClassification). Biases, embeddings and LayerNorm parameters keep their Hugging Face names in
/// such files; Linear weights are often anonymous MatMul initializers stored [in, out]. Each such MatMul feeds
/// an Add whose other input is "&lt;prefix&gt;.bias", which names the weight "&lt;prefix&gt;.weight" (transposed to [out, in]).
/// </summary>
public static partial class OnnxBertImporter
{
    [GeneratedRegex(@"^(bert\.)?(embeddings\.|encoder\.layer\.\d+\.|pooler\.)|^classifier\.")]
    private static partial Regex HuggingFaceKey();

    [GeneratedRegex(@"encoder\.layer\.(\d+)\.")]
    private static partial Regex LayerIndex();

    public static ImportedBert Import(string path, int? numAttentionHeads = null)
    {
        var model = Parse(path);
        var graph = model.Graph;
        var tensors = new OnnxTensors(graph);
        var weights = new Dictionary<string, (float[] Data, long[] Shape)>(StringComparer.Ordinal);

        foreach (var name in tensors.Names.Where(n => HuggingFaceKey().IsMatch(n) && tensors.IsFloat(n)))
        {
            weights[Canonical(name)] = (tensors.Floats(name), tensors.Dims(name));
        }

        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n))).ToLookup(e => e.Input, e => e.Node);
        foreach (var node in graph.Node.Where(n => n.OpType is "MatMul" or "Gemm"))
        {
            string weightName = node.Input[1];
            if (!tensors.IsConstant(weightName) || HuggingFaceKey().IsMatch(tensors.Resolve(weightName)) || HuggingFaceKey().IsMatch(weightName))
            {
                continue;
            }

            string? bias = node.OpType == "Gemm" && node.Input.Count > 2
                ? node.Input[2]
                : consumers[node.Output[0]].Where(c => c.OpType == "Add").SelectMany(c => c.Input).FirstOrDefault(i => i != node.Output[0]);
            if (bias is null || !bias.EndsWith(".bias", StringComparison.Ordinal) || !HuggingFaceKey().IsMatch(bias))
            {
                continue;
            }

            var dims = tensors.Dims(weightName);
            var data = tensors.Floats(weightName);
            bool storedInOut = node.OpType == "MatMul" || node.Attribute.FirstOrDefault(a => a.Name == "transB")?.I != 1;
            weights[Canonical(bias[..^".bias".Length] + ".weight")] = storedInOut ? Transpose(data, dims) : (data, dims);
        }

        var config = InferConfig(weights, path, numAttentionHeads ?? DetectHeads(graph, tensors, weights, path));
        return new ImportedBert(config, weights.ToDictionary(e => e.Key, e => tensor(e.Value.Data, e.Value.Shape)),
            [.. graph.Input.Select(i => i.Name)], [.. graph.Output.Select(o => o.Name)]);
    }

    private static ModelProto Parse(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return ModelProto.Parser.ParseFrom(stream);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"{path}: not a readable ONNX model ({e.Message}).");
        }
    }

    /// <summary>Hugging Face classifier key: "bert." in front of encoder weights, classifier keys as they are.</summary>
    private static string Canonical(string name) => name.StartsWith("classifier.", StringComparison.Ordinal) || name.StartsWith("bert.", StringComparison.Ordinal) ? name : "bert." + name;

    private static (float[] Data, long[] Shape) Transpose(float[] data, long[] dims) =>
        (RowMajor.Transpose(data, (int)dims[0], (int)dims[1]), [dims[1], dims[0]]);

    private static BertConfig InferConfig(Dictionary<string, (float[] Data, long[] Shape)> weights, string path, int heads)
    {
        (float[] Data, long[] Shape) Require(string key) => weights.TryGetValue(key, out var value)
            ? value
            : throw new ModelFormatException($"{path}: not a BERT encoder export: no '{key}' could be found (named, or recovered from a MatMul feeding '{key[..key.LastIndexOf('.')]}.bias').");

        var words = Require("bert.embeddings.word_embeddings.weight");
        var positions = Require("bert.embeddings.position_embeddings.weight");
        var types = Require("bert.embeddings.token_type_embeddings.weight");
        Require("bert.embeddings.LayerNorm.weight");
        int layers = weights.Keys.Select(k => LayerIndex().Match(k)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max() + 1;
        if (layers == 0)
        {
            throw new ModelFormatException($"{path}: not a BERT encoder export: no encoder.layer.N weights.");
        }

        string[] perLayer = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense"];
        foreach (int layer in Enumerable.Range(0, layers))
        {
            foreach (var part in perLayer)
            {
                Require($"bert.encoder.layer.{layer}.{part}.weight");
            }
        }

        int hidden = (int)words.Shape[1];
        var config = new BertConfig
        {
            VocabSize = (int)words.Shape[0],
            HiddenSize = hidden,
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            IntermediateSize = (int)Require("bert.encoder.layer.0.intermediate.dense.weight").Shape[0],
            MaxPositionEmbeddings = (int)positions.Shape[0],
            TypeVocabSize = (int)types.Shape[0],
            NumLabels = weights.TryGetValue("classifier.weight", out var classifier) ? (int)classifier.Shape[0] : 2,
        };
        config.Validate(path);
        return config;
    }

    /// <summary>
    /// The head count is not in the weights, but the graph splits the query projection into heads with a
    /// Reshape to (batch, length, heads, head size); the target shape is a constant or a Concat of constants.
    /// </summary>
    private static int DetectHeads(GraphProto graph, OnnxTensors tensors, Dictionary<string, (float[] Data, long[] Shape)> weights, string path)
    {
        int hidden = weights.TryGetValue("bert.embeddings.word_embeddings.weight", out var words) ? (int)words.Shape[1] : 0;
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                producers[output] = node;
            }
        }

        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (Input: i, Node: n))).ToLookup(e => e.Input, e => e.Node);
        var queryAdd = graph.Node.FirstOrDefault(n => n.OpType == "Add" && n.Input.Any(i => i.EndsWith("attention.self.query.bias", StringComparison.Ordinal)));
        var reshape = queryAdd is null ? null : consumers[queryAdd.Output[0]].FirstOrDefault(n => n.OpType == "Reshape");
        if (reshape is not null)
        {
            // (batch, length, heads, head size), where one of the last two may be -1 (inferred).
            double?[] split = tensors.IsConstant(reshape.Input[1]) && tensors.Dims(reshape.Input[1]) is [4]
                ? [.. tensors.Int64s(reshape.Input[1]).Skip(2).Select(v => (double?)v)]
                : producers.TryGetValue(reshape.Input[1], out var concat) && concat.OpType == "Concat" && concat.Input.Count == 4
                    ? [ConstantThroughUnsqueeze(tensors, producers, concat.Input[2]), ConstantThroughUnsqueeze(tensors, producers, concat.Input[3])]
                    : [null, null];
            int? heads = split[0] is > 0 ? (int)split[0]!.Value : split[1] is > 0 && hidden % (int)split[1]!.Value == 0 ? hidden / (int)split[1]!.Value : null;
            if (heads is int h && hidden % h == 0)
            {
                return h;
            }
        }

        throw new ModelFormatException($"{path}: cannot tell the number of attention heads from the graph; pass it with --num-heads (bert-base: 12, MiniLM-L6: 12).");
    }

    private static double? ConstantThroughUnsqueeze(OnnxTensors tensors, Dictionary<string, NodeProto> producers, string name)
    {
        if (tensors.Scalar(name) is double value)
        {
            return value;
        }

        return producers.TryGetValue(name, out var node) && node.OpType == "Unsqueeze" ? tensors.Scalar(node.Input[0]) : null;
    }
}

/// <summary>Weights recovered from an ONNX export, keyed like a Hugging Face BertForSequenceClassification.</summary>
public sealed record ImportedBert(BertConfig Config, Dictionary<string, Tensor> Weights, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);
