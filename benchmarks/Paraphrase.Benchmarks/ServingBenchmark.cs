using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Paraphrase.Core.Datasets;
using Paraphrase.Inference;
using Paraphrase.Serving;

namespace Paraphrase.Benchmarks;

/// <summary>
/// The HTTP service on loopback under 16 and 64 concurrent clients (one MRPC dev pair per request), next to the
/// raw batched ONNX Runtime throughput of the same model in the same process: throughput, latency percentiles,
/// errors, and the working set sampled every second.
/// </summary>
internal static class ServingBenchmark
{
    public static int Run(string root, string exportDirectory, int threads, double seconds)
    {
        var pairs = DatasetReader.Read(Path.Combine(root, "data", "mrpc", "dev.tsv")).Pairs.Select(p => (p.Sentence1, p.Sentence2)).ToList();
        var inference = new InferenceOptions { ExecutionProvider = "cpu", IntraOpThreads = threads, Variant = "fused" };
        double raw = RawThroughput(exportDirectory, inference, pairs, seconds);
        Console.WriteLine($"raw batched ONNX Runtime (fused, batch 32): {raw:F0} pairs/s");

        int port = FreePort();
        var options = new ServingOptions { AllowAnonymous = true, MaxPairsPerRequest = 64 };
        using var app = ServingHost.Create(exportDirectory, options, inference, $"http://127.0.0.1:{port}");
        app.StartAsync().GetAwaiter().GetResult();
        Console.WriteLine($"{"clients",8} {"pairs/s",9} {"% of raw",9} {"p50 ms",8} {"p99 ms",8} {"errors",7} {"working set MiB (min–max)",26}");
        double saturated = 0;
        foreach (int clients in new[] { 16, 64 })
        {
            saturated = Math.Max(saturated, Load(port, clients, pairs, seconds, raw));
        }

        OpenLoop(port, pairs, seconds, saturated / 2);

        app.StopAsync().GetAwaiter().GetResult();
        return 0;
    }

    private static double RawThroughput(string exportDirectory, InferenceOptions inference, List<(string, string)> pairs, double seconds)
    {
        using var classifier = ParaphraseClassifier.Open(exportDirectory, options: inference);
        var batches = pairs.Chunk(32).Where(c => c.Length == 32).Select(c => c.Select(p => classifier.Tokenizer.Encode(p.Item1, p.Item2)).ToList()).ToList();
        classifier.Run(batches[0]);
        int done = 0;
        var clock = Stopwatch.StartNew();
        for (int b = 0; clock.Elapsed.TotalSeconds < seconds; b = (b + 1) % batches.Count)
        {
            classifier.Run(batches[b]);
            done += 32;
        }

        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Requests sent at a fixed rate whatever the answers do: latency at a given load, not at saturation.</summary>
    private static void OpenLoop(int port, List<(string, string)> pairs, double seconds, double rate)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        int errors = 0;
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (int i = 0; clock.Elapsed.TotalSeconds < seconds; i++)
        {
            double due = i / rate;
            while (clock.Elapsed.TotalSeconds < due)
            {
                Thread.Sleep(1);
            }

            var (s1, s2) = pairs[i % pairs.Count];
            inFlight.Add(Task.Run(async () =>
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("/api/paraphrase", new { sentence1 = s1, sentence2 = s2 });
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }));
        }

        Task.WaitAll([.. inFlight]);
        var sorted = latencies.Order().ToList();
        Console.WriteLine($"open loop at {rate:F0} pairs/s (half of saturation): p50 {sorted[sorted.Count / 2]:F1} ms, p99 {sorted[(int)(sorted.Count * 0.99)]:F1} ms, {errors} errors");
    }

    private static double Load(int port, int clients, List<(string, string)> pairs, double seconds, double raw)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        int errors = 0;
        var memory = new List<double>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                memory.Add(Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024));
                await Task.Delay(1000);
            }
        });
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (int i = c; !stop.IsCancellationRequested; i += clients)
            {
                var (s1, s2) = pairs[i % pairs.Count];
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.PostAsJsonAsync("/api/paraphrase", new { sentence1 = s1, sentence2 = s2 });
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })).ToArray();
        Task.WaitAll(workers);
        sampler.Wait();
        var sorted = latencies.Order().ToList();
        double throughput = sorted.Count / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{clients,8} {throughput,9:F0} {throughput / raw,9:P0} {sorted[sorted.Count / 2],8:F1} {sorted[(int)(sorted.Count * 0.99)],8:F1} {errors,7} {$"{memory.Min():F0}–{memory.Max():F0}",26}");
        return throughput;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
