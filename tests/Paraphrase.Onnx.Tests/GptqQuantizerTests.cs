using Paraphrase.Training.Runtime;

namespace Paraphrase.Onnx.Tests;

public sealed class GptqQuantizerTests
{
    private const int Inputs = 64, Outputs = 24, Samples = 512;

    [Fact]
    public void ErrorCompensationBeatsRoundingToNearestOnTheCalibrationInputs()
    {
        LibTorchRuntime.EnsureLoaded();
        var random = new Random(7);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        // Correlated inputs with two loud channels, as in a transformer's hidden states.
        var mixing = Enumerable.Range(0, Inputs * Inputs).Select(_ => (float)Gaussian() / 8).ToArray();
        var x = new float[Samples * Inputs];
        for (int s = 0; s < Samples; s++)
        {
            var z = Enumerable.Range(0, Inputs).Select(_ => (float)Gaussian()).ToArray();
            for (int j = 0; j < Inputs; j++)
            {
                float value = 0;
                for (int i = 0; i < Inputs; i++)
                {
                    value += z[i] * mixing[i * Inputs + j];
                }

                x[s * Inputs + j] = j < 2 ? value * 20 : value;
            }
        }

        var weight = Enumerable.Range(0, Inputs * Outputs).Select(_ => (float)Gaussian() * 0.05f).ToArray();
        var nearest = Int8Quantizer.PerColumn(weight, Inputs, Outputs);
        using var gptq = GptqQuantizer.FromInputs("layer", x, Inputs);
        var compensated = gptq.Quantize("layer", weight, Inputs, Outputs);

        Assert.Equal(nearest.Scales, compensated.Scales);
        Assert.All(compensated.Values, v => Assert.InRange(v, (sbyte)-127, (sbyte)127));
        double nearestError = OutputError(x, weight, nearest), compensatedError = OutputError(x, weight, compensated);
        Assert.True(compensatedError < 0.5 * nearestError, $"GPTQ {compensatedError:E3} vs round-to-nearest {nearestError:E3}");
    }

    [Fact]
    public void AProductWithoutStatisticsIsRefused()
    {
        LibTorchRuntime.EnsureLoaded();
        using var gptq = GptqQuantizer.FromInputs("layer", new float[8 * 4], 4);

        Assert.Throws<InvalidOperationException>(() => gptq.Quantize("another", new float[4 * 2], 4, 2));
    }

    /// <summary>Σ over samples and outputs of (x·W − x·Ŵ)².</summary>
    private static double OutputError(float[] x, float[] weight, (sbyte[] Values, float[] Scales) quantized)
    {
        double sum = 0;
        for (int s = 0; s < Samples; s++)
        {
            for (int o = 0; o < Outputs; o++)
            {
                double difference = 0;
                for (int i = 0; i < Inputs; i++)
                {
                    difference += x[s * Inputs + i] * (weight[i * Outputs + o] - quantized.Values[i * Outputs + o] * quantized.Scales[o]);
                }

                sum += difference * difference;
            }
        }

        return sum;
    }
}
