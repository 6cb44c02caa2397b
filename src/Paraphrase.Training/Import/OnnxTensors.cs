using Google.Protobuf;
using Onnx;
using Paraphrase.Training.Modeling;

namespace Paraphrase.Training.Import;

/// <summary>The constant tensors of an ONNX graph (initializers, Constant nodes, Identity aliases), decoded on demand.</summary>
internal sealed class OnnxTensors
{
    private readonly Dictionary<string, TensorProto> _tensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);

    public OnnxTensors(GraphProto graph)
    {
        foreach (var initializer in graph.Initializer)
        {
            _tensors[initializer.Name] = initializer;
        }

        foreach (var node in graph.Node)
        {
            if (node.OpType == "Constant" && node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { } value)
            {
                _tensors[node.Output[0]] = value;
            }
            else if (node.OpType == "Identity")
            {
                _aliases[node.Output[0]] = node.Input[0];
            }
        }
    }

    /// <summary>Every name that refers to a constant tensor: its own name and the names Identity nodes give it.</summary>
    public IEnumerable<string> Names => _tensors.Keys.Concat(_aliases.Keys.Where(IsConstant));

    public bool IsConstant(string name) => _tensors.ContainsKey(Resolve(name));

    public string Resolve(string name)
    {
        while (_aliases.TryGetValue(name, out var target))
        {
            name = target;
        }

        return name;
    }

    /// <summary>Whether the constant holds floating-point values (weights), not integers (buffers such as position_ids).</summary>
    public bool IsFloat(string name) =>
        (TensorProto.Types.DataType)_tensors[Resolve(name)].DataType is TensorProto.Types.DataType.Float
            or TensorProto.Types.DataType.Double or TensorProto.Types.DataType.Float16;

    public long[] Dims(string name) => [.. _tensors[Resolve(name)].Dims];

    public float[] Floats(string name)
    {
        var tensor = _tensors[Resolve(name)];
        return (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Float => tensor.RawData.IsEmpty ? [.. tensor.FloatData] : Cast<float>(tensor.RawData),
            TensorProto.Types.DataType.Double => tensor.RawData.IsEmpty ? [.. tensor.DoubleData.Select(d => (float)d)] : [.. Cast<double>(tensor.RawData).Select(d => (float)d)],
            TensorProto.Types.DataType.Float16 => [.. Cast<Half>(tensor.RawData).Select(h => (float)h)],
            _ => throw new ModelFormatException($"the ONNX tensor '{name}' has type {(TensorProto.Types.DataType)tensor.DataType}; weights must be float32, float16 or float64"),
        };
    }

    public long[] Int64s(string name)
    {
        var tensor = _tensors[Resolve(name)];
        return (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Int64 => tensor.RawData.IsEmpty ? [.. tensor.Int64Data] : Cast<long>(tensor.RawData),
            TensorProto.Types.DataType.Int32 => tensor.RawData.IsEmpty ? [.. tensor.Int32Data.Select(v => (long)v)] : [.. Cast<int>(tensor.RawData).Select(v => (long)v)],
            _ => throw new ModelFormatException($"the ONNX tensor '{name}' is not an integer tensor"),
        };
    }

    /// <summary>A scalar (or one-element) numeric constant, or null.</summary>
    public double? Scalar(string name)
    {
        if (!IsConstant(name))
        {
            return null;
        }

        var tensor = _tensors[Resolve(name)];
        if (tensor.Dims.Aggregate(1L, (a, b) => a * b) != 1)
        {
            return null;
        }

        return (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double or TensorProto.Types.DataType.Float16 => Floats(name)[0],
            TensorProto.Types.DataType.Int64 => tensor.RawData.IsEmpty ? tensor.Int64Data[0] : Cast<long>(tensor.RawData)[0],
            TensorProto.Types.DataType.Int32 => tensor.RawData.IsEmpty ? tensor.Int32Data[0] : Cast<int>(tensor.RawData)[0],
            _ => null,
        };
    }

    private static T[] Cast<T>(ByteString bytes) where T : struct =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes.Span).ToArray();
}
