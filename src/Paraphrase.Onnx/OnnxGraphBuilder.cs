using Google.Protobuf;
using Onnx;

namespace Paraphrase.Onnx;

/// <summary>Assembles an ONNX graph: typed inputs and outputs, initializers, nodes with generated names.</summary>
internal sealed class OnnxGraphBuilder
{
    public const string MicrosoftDomain = "com.microsoft";

    private readonly GraphProto _graph = new() { Name = "bert_for_sequence_classification" };
    private int _counter;

    /// <summary>A graph input of int64 ids with dynamic [batch, sequence] shape.</summary>
    public string AddIdsInput(string name)
    {
        _graph.Input.Add(ValueInfo(name, TensorProto.Types.DataType.Int64, "batch", "sequence"));
        return name;
    }

    public void AddOutput(string name, params object[] dims) =>
        _graph.Output.Add(ValueInfo(name, TensorProto.Types.DataType.Float, dims));

    public string Initializer(string name, float[] data, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan())) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string Initializer(string name, sbyte[] data, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int8, RawData = ByteString.CopyFrom((byte[])(Array)data) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string ScalarInt64(string name, long value)
    {
        _graph.Initializer.Add(new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, Int64Data = { value } });
        return name;
    }

    public string ScalarUint8(string name, byte value)
    {
        _graph.Initializer.Add(new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Uint8, RawData = ByteString.CopyFrom(value) });
        return name;
    }

    public string ScalarFloat(string name, float value)
    {
        _graph.Initializer.Add(new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, FloatData = { value } });
        return name;
    }

    /// <summary>Adds a node and returns its (first) output name.</summary>
    public string Node(string op, string[] inputs, string? output = null, string? domain = null, params (string Name, object Value)[] attributes) =>
        Node(op, inputs, [output ?? $"{op.ToLowerInvariant()}_{_counter++}"], domain, attributes)[0];

    public string[] Node(string op, string[] inputs, string[] outputs, string? domain, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{_counter++}", Domain = domain ?? "" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (name, value) in attributes)
        {
            node.Attribute.Add(value switch
            {
                long i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
                int i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
                float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
                long[] ints => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { ints } },
                _ => throw new ArgumentException($"unsupported attribute type {value.GetType().Name}"),
            });
        }

        _graph.Node.Add(node);
        return outputs;
    }

    public ModelProto Build(bool usesMicrosoftDomain)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "Paraphrase.Onnx", ProducerVersion = "1", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = BertOnnxBuilder.Opset });
        if (usesMicrosoftDomain)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        return model;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is string symbol ? new TensorShapeProto.Types.Dimension { DimParam = symbol } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}
