using Paraphrase.Training.Modeling;
using static TorchSharp.torch;

namespace Paraphrase.Onnx;

/// <summary>A classifier's parameters as float arrays, by Hugging Face name.</summary>
internal sealed class BertWeights
{
    private readonly Dictionary<string, (float[] Data, long[] Shape)> _tensors = [];

    public BertWeights(BertForSequenceClassification model)
    {
        foreach (var (name, tensor) in model.state_dict())
        {
            using var cpu = tensor.detach().to(CPU).to_type(ScalarType.Float32).contiguous();
            _tensors[name] = (cpu.data<float>().ToArray(), cpu.shape);
        }
    }

    public float[] Get(string name) => _tensors[name].Data;

    public long[] Shape(string name) => _tensors[name].Shape;

    /// <summary>A Linear weight [out, in] as the [in, out] matrix MatMul multiplies by.</summary>
    public float[] Transposed(string name)
    {
        var (data, shape) = _tensors[name];
        return RowMajor.Transpose(data, (int)shape[0], (int)shape[1]);
    }
}
