using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Tokenization;
using Paraphrase.Inference;
using Paraphrase.Training.Modeling;
using Paraphrase.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Paraphrase.Onnx;

/// <summary>
/// int8 weights chosen for what the layer computes rather than weight by weight (GPTQ, Frantar et al. 2022):
/// the rows of a [in, out] weight are rounded one input channel at a time, and each rounding error is pushed onto
/// the rows not yet rounded in the proportions that cancel it best on calibration inputs, using
/// H = Σ x xᵀ of the layer's inputs. The scales stay one per output column (<see cref="Int8Quantizer"/>); only
/// the integer values change. Inputs are read from the fused float32 graph on calibration pairs.
/// </summary>
internal sealed class GptqQuantizer : IDisposable
{
    /// <summary>Fewer real tokens than this leave H too poorly sampled to trust; the export rounds to nearest instead.</summary>
    public const int MinimumTokens = 2048;

    private const string OutputPrefix = "calibration/";

    /// <summary>Added to H's diagonal, as a fraction of its mean, so that it stays invertible.</summary>
    private const double Dampening = 0.01;

    /// <summary>Input channels rounded between two whole-matrix updates; changes speed, not results.</summary>
    private const int BlockSize = 128;

    private readonly Dictionary<string, Tensor> _hessians;

    private GptqQuantizer(Dictionary<string, Tensor> hessians, long tokens)
    {
        _hessians = hessians;
        Tokens = tokens;
    }

    public long Tokens { get; }

    public static string OutputName(string product) => OutputPrefix + product;

    /// <summary>Runs <paramref name="model"/>'s fused float32 graph with its products' inputs exposed over <paramref name="pairs"/>.</summary>
    /// <exception cref="OperationCanceledException">Cancelled between two batches; the statistics gathered so far are freed.</exception>
    public static GptqQuantizer Calibrate(BertForSequenceClassification model, IReadOnlyList<EncodedPair> pairs, int paddingId,
        CancellationToken cancellationToken = default)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(BertOnnxBuilder.BuildProbe(model).ToByteArray(), options);
        var outputs = session.OutputMetadata.Keys.Where(name => name.StartsWith(OutputPrefix, StringComparison.Ordinal)).ToList();
        var hessians = new Dictionary<string, Tensor>();
        var collator = new PaddingCollator(paddingId);
        long tokens = 0;
        foreach (var indices in BatchPlan.Sequential(pairs.Count, 16))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // The sums live outside any dispose scope: free them before giving up.
                foreach (var sum in hessians.Values)
                {
                    sum.Dispose();
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            var batch = collator.Collate(pairs, null, indices);
            long[] real = [.. Enumerable.Range(0, batch.AttentionMask.Length).Where(i => batch.AttentionMask[i] != 0).Select(i => (long)i)];
            tokens += real.Length;
            using var rows = tensor(real);
            using var results = session.Run(OnnxInputs.From(batch), outputs);
            foreach (var result in results)
            {
                var values = result.AsTensor<float>().ToArray();
                using var scope = NewDisposeScope();
                var x = tensor(values).reshape(batch.AttentionMask.Length, -1).index_select(0, rows).to_type(ScalarType.Float64);
                var product = x.t().mm(x);
                string name = result.Name[OutputPrefix.Length..];
                if (hessians.TryGetValue(name, out var sum))
                {
                    sum.add_(product, HeldScalars.One); // not add_(product): see HeldScalars
                }
                else
                {
                    hessians[name] = product.MoveToOuterDisposeScope();
                }
            }
        }

        return new GptqQuantizer(hessians, tokens);
    }

    /// <summary>From one product's inputs given directly: rows of <paramref name="channels"/> values.</summary>
    internal static GptqQuantizer FromInputs(string product, float[] inputs, int channels)
    {
        using var x = tensor(inputs).reshape(-1, channels).to_type(ScalarType.Float64);
        return new GptqQuantizer(new Dictionary<string, Tensor> { [product] = x.t().mm(x) }, x.shape[0]);
    }

    /// <param name="product">The product's name, as in the calibration graph.</param>
    /// <param name="weight">[<paramref name="rows"/> (in), <paramref name="columns"/> (out)], row-major.</param>
    public (sbyte[] Values, float[] Scales) Quantize(string product, float[] weight, int rows, int columns)
    {
        if (!_hessians.TryGetValue(product, out var hessian) || hessian.shape[0] != rows)
        {
            throw new InvalidOperationException($"no calibration statistics for the input of {product}");
        }

        var scales = Int8Quantizer.ColumnScales(weight, rows, columns);
        using var scope = NewDisposeScope();
        var upper = InverseCholeskyUpper(hessian, rows);
        var u = upper.data<double>().ToArray();
        var w = tensor(weight).reshape(rows, columns).to_type(ScalarType.Float64);
        var values = new sbyte[rows * columns];
        for (int start = 0; start < rows; start += BlockSize)
        {
            int end = Math.Min(start + BlockSize, rows), count = end - start;
            var block = w[TensorIndex.Slice(start, end)].contiguous().data<double>().ToArray();
            var errors = new double[count * columns];
            for (int i = 0; i < count; i++)
            {
                int k = start + i;
                double pivot = u[k * rows + k];
                for (int c = 0; c < columns; c++)
                {
                    double value = block[i * columns + c];
                    sbyte q = (sbyte)Math.Clamp(Math.Round(value / scales[c]), -127, 127);
                    values[k * columns + c] = q;
                    errors[i * columns + c] = (value - q * (double)scales[c]) / pivot;
                }

                for (int j = i + 1; j < count; j++)
                {
                    double factor = u[k * rows + start + j];
                    for (int c = 0; c < columns; c++)
                    {
                        block[j * columns + c] -= factor * errors[i * columns + c];
                    }
                }
            }

            if (end < rows)
            {
                var blockErrors = tensor(errors).reshape(count, columns);
                var coupling = upper[TensorIndex.Slice(start, end), TensorIndex.Slice(end)]; // [count, rows - end]
                w[TensorIndex.Slice(end)].sub_(coupling.t().mm(blockErrors));
            }
        }

        return (values, scales);
    }

    /// <summary>The upper Cholesky factor of H⁻¹ (H dampened), whose rows say how an error in one channel spreads to the next.</summary>
    private static Tensor InverseCholeskyUpper(Tensor hessian, int rows)
    {
        var h = hessian.clone();
        double damp = Dampening * h.diagonal().mean().item<double>();
        using var dampening = (damp > 0 ? damp : 1).ToScalar(); // held for the call: see HeldScalars
        h.add_(eye(rows, dtype: ScalarType.Float64).mul(dampening), HeldScalars.One);
        var inverse = cholesky_inverse(linalg.cholesky(h));
        return linalg.cholesky(inverse).t().contiguous();
    }

    public void Dispose()
    {
        foreach (var hessian in _hessians.Values)
        {
            hessian.Dispose();
        }
    }
}
