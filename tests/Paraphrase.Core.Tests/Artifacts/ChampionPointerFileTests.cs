using Paraphrase.Core.Artifacts;

namespace Paraphrase.Core.Tests.Artifacts;

public sealed class ChampionPointerFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-champion-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AFileWithOnlyTheModelStillReads()
    {
        var pointer = ChampionPointerFile.Parse("{\"model\": \"models/mrpc\"}");

        Assert.Equal("models/mrpc", pointer.Model);
        Assert.Null(pointer.RunId);
        Assert.Null(pointer.PromotedAt);
    }

    [Fact]
    public void EveryFieldSurvivesAWriteAndARead()
    {
        string path = Path.Combine(_directory, "champion.json");
        var written = new ChampionPointerFile
        {
            Model = "runs/r1/export", RunId = "r1", Dataset = "mrpc", Variant = "int8", Accuracy = 0.836, F1 = 0.884,
            PromotedAt = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero),
        };

        written.Write(path);

        Assert.Equal(written, ChampionPointerFile.Read(path));
        Assert.Equal([path], Directory.GetFiles(_directory)); // no temporary file left behind
        Assert.Contains("\"runId\": \"r1\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(Path.Combine(_directory, "runs", "r1", "export"), written.ResolveModel(path));
    }

    [Theory]
    [InlineData("{not json", "not a valid champion file")]
    [InlineData("{\"runId\": \"r1\"}", "not a valid champion file")]
    [InlineData("{\"model\": \" \"}", "no \"model\" field")]
    [InlineData("null", "no \"model\" field")]
    public void ABadFileIsNamedWithWhatIsWrong(string json, string reason)
    {
        string path = Path.Combine(_directory, "champion.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<InvalidDataException>(() => ChampionPointerFile.Read(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
