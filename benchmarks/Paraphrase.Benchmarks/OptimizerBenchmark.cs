using System.Diagnostics;
using Paraphrase.Training.Modeling;
using Paraphrase.Training.Optimization;
using Paraphrase.Training.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Benchmarks;

/// <summary>
/// The optimizer's share of a training step, side by side in one process on the CPU: TorchSharp's per-tensor AdamW with
/// gradients filled with zeros (what training used before) against the project's multi-tensor AdamW with gradients set
/// to none, on the parameters of a MiniLM- or bert-base-shaped model. Each round gives both the same fresh gradients and
/// alternates which goes first; the gradients are written in place afterwards, as backward does.
/// </summary>
internal static class OptimizerBenchmark
{
    public static int Run(string shape, int rounds)
    {
        LibTorchRuntime.EnsureLoaded();
        var config = shape == "bert-base" ? new BertConfig() : new BertConfig { HiddenSize = 384, NumHiddenLayers = 6, IntermediateSize = 1536 };
        using var perTensorModel = new BertForSequenceClassification(config);
        using var multiTensorModel = new BertForSequenceClassification(config);
        var perTensor = perTensorModel.parameters().ToArray();
        var multiTensor = multiTensorModel.parameters().ToArray();
        using (no_grad())
        {
            foreach (var (from, to) in perTensor.Zip(multiTensor))
            {
                to.copy_(from); // the same start, so that the two trajectories can be compared at the end
            }
        }

        Console.WriteLine($"{shape}: {perTensor.Length} tensors, {perTensor.Sum(p => p.numel()) / 1e6:F1} M parameters; {get_num_threads()} threads; {rounds} rounds");

        using var reference = optim.AdamW(perTensor, 5e-5, 0.9, 0.999, 1e-8, 0.01);
        using var ours = AdamWFactory.Create(multiTensorModel, 5e-5, 0.9, 0.999, 1e-8, 0.01, decayBiasAndNorm: true);
        var times = new Dictionary<string, List<double>> { ["per-tensor"] = [], ["multi-tensor"] = [] };
        for (int round = -2; round < rounds; round++) // two rounds of warm-up
        {
            using var scope = NewDisposeScope();
            var gradients = perTensor.Select(p => randn_like(p)).ToArray();
            void Measure(string name, Parameter[] parameters, optim.Optimizer optimizer)
            {
                using var noGrad = no_grad();
                for (int i = 0; i < parameters.Length; i++)
                {
                    if (parameters[i].grad is { } grad)
                    {
                        grad.copy_(gradients[i]); // backward adds into the zero-filled gradients
                    }
                    else
                    {
                        parameters[i].grad = gradients[i].clone(); // backward writes fresh ones
                    }
                }

                var clock = Stopwatch.StartNew();
                optimizer.step();
                optimizer.zero_grad();
                if (round >= 0)
                {
                    times[name].Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            if (round % 2 == 0)
            {
                Measure("per-tensor", perTensor, reference);
                Measure("multi-tensor", multiTensor, ours);
            }
            else
            {
                Measure("multi-tensor", multiTensor, ours);
                Measure("per-tensor", perTensor, reference);
            }
        }

        double difference = perTensor.Zip(multiTensor).Max(p => (p.First - p.Second).abs().max().item<float>());
        foreach (var (name, values) in times)
        {
            values.Sort();
            Console.WriteLine($"{name,-14} step + zero_grad: median {values[values.Count / 2],7:F1} ms, best {values[0],7:F1} ms");
        }

        Console.WriteLine($"ratio of medians: {times["per-tensor"][rounds / 2] / times["multi-tensor"][rounds / 2]:F2}x; largest parameter difference after {rounds + 2} steps: {difference:E2}");
        return 0;
    }
}
