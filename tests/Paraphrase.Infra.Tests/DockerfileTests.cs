using System.Text.RegularExpressions;

namespace Paraphrase.Infra.Tests;

/// <summary>
/// Docker cannot run here, so the worker's Dockerfile is checked by reading it: what it builds, from which pinned
/// images, as which user, and that everything it copies is in the build context.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly Dockerfile Worker = Dockerfile.Read(InfraPaths.InRepository("infra", "docker", "worker.Dockerfile"));

    [Fact]
    public void TheImageStartsOneWorkerJob()
    {
        var entrypoint = Assert.Single(Worker.Named("ENTRYPOINT"));
        Assert.Equal(Worker.FinalStage, entrypoint.Stage);
        Assert.Equal(["paraphrase", "worker", "--max-jobs", "1"], Dockerfile.ExecForm(entrypoint));
        Assert.Empty(Worker.Named("CMD"));
    }

    [Fact]
    public void EveryBaseImageIsPinnedByTagOrDigest()
    {
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var from in Worker.Named("FROM"))
        {
            var match = FromLine().Match(from.Arguments);
            Assert.True(match.Success, $"FROM {from.Arguments}");
            string image = match.Groups["image"].Value;
            if (!stages.Contains(image))
            {
                var reference = ImageReference().Match(image);
                Assert.True(reference.Success && (reference.Groups["tag"].Success || reference.Groups["digest"].Success), $"{image} names no tag or digest");
                Assert.NotEqual("latest", reference.Groups["tag"].Value);
            }

            if (match.Groups["stage"].Success)
            {
                stages.Add(match.Groups["stage"].Value);
            }
        }

        // The runtime is NVIDIA's CUDA image (the GPU driver hooks); the build uses the .NET 10 SDK.
        Assert.StartsWith("nvidia/cuda:", FromLine().Match(Worker.Named("FROM").Last().Arguments).Groups["image"].Value, StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", Worker.Named("FROM").First().Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWorkerRunsAsAnUnprivilegedUser()
    {
        var user = Worker.Named("USER").Where(u => u.Stage == Worker.FinalStage).LastOrDefault();
        Assert.NotNull(user);
        Assert.DoesNotMatch("^(root|0)(:.*)?$", user.Arguments);
    }

    [Fact]
    public void ItPublishesTheCliWithTheCudaLibTorchBackend()
    {
        string publish = Assert.Single(Worker.Named("RUN"), run => run.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;
        Assert.Contains("src/Paraphrase.Cli/", publish, StringComparison.Ordinal);
        Assert.Contains("-r linux-x64", publish, StringComparison.Ordinal);
        var backend = LibTorchBackend().Match(publish);
        Assert.True(backend.Success, "the publish command chooses no -p:LibTorchBackend");
        Assert.Equal("cuda", backend.Groups[1].Value);

        // The Training project turns that choice into the TorchSharp-cuda-linux package, which has a central version.
        string training = File.ReadAllText(InfraPaths.InRepository("src", "Paraphrase.Training", "Paraphrase.Training.csproj"));
        Assert.Matches(@"Condition=""'\$\(LibTorchBackend\)' == 'cuda'"">\s*<PackageReference Include=""TorchSharp-cuda-linux""", training);
        Assert.Contains(@"<PackageVersion Include=""TorchSharp-cuda-linux""", File.ReadAllText(InfraPaths.InRepository("Directory.Packages.props")), StringComparison.Ordinal);
    }

    [Fact]
    public void EverythingCopiedFromTheContextExistsAndIsNotIgnored()
    {
        // The root .dockerignore ignores everything, then lets the build inputs back in.
        var ignore = File.ReadAllLines(InfraPaths.InRepository(".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal("*", ignore[0]);
        var allowed = ignore.Where(l => l.StartsWith('!')).Select(l => l[1..].TrimEnd('/')).ToHashSet(StringComparer.Ordinal);

        foreach (var copy in Worker.Named("COPY").Where(c => !c.Flags.Any(f => f.StartsWith("--from=", StringComparison.Ordinal))))
        {
            string[] paths = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (string source in paths[..^1].Select(p => p.TrimEnd('/')))
            {
                Assert.True(File.Exists(InfraPaths.InRepository(source)) || Directory.Exists(InfraPaths.InRepository(source)), $"COPY {source}: not in the repository");
                Assert.True(allowed.Contains(source), $"COPY {source}: .dockerignore keeps it out of the build context");
            }
        }
    }

    [GeneratedRegex(@"^(?<image>\S+)(\s+AS\s+(?<stage>\S+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^(?<name>[a-z0-9._/-]+)(:(?<tag>\w[\w.-]{0,127}))?(?<digest>@sha256:[0-9a-f]{64})?$")]
    private static partial Regex ImageReference();

    [GeneratedRegex(@"-p:LibTorchBackend=(\w+)")]
    private static partial Regex LibTorchBackend();
}
