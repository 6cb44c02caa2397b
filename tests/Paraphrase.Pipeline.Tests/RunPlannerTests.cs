using System.Text.Json.Nodes;
using Paraphrase.Core.Artifacts;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Runs;

namespace Paraphrase.Pipeline.Tests;

public sealed class RunPlannerTests
{
    private static readonly DatasetFileRef[] Files = [new("train", "mrpc/train.tsv", "\"0x1\"", new string('a', 64)), new("dev", "mrpc/dev.tsv", "\"0x2\"", new string('b', 64))];

    private static string Id(TrainingOptions options, string baseModel = "minilm", IReadOnlyList<DatasetFileRef>? files = null) =>
        RunPlanner.RunId("mrpc", files ?? Files, options, baseModel, new PromotionRule(), 0.1);

    [Fact]
    public void TheSameSnapshotAndOptionsGiveTheSameRunId()
    {
        string id = Id(new TrainingOptions());
        Assert.Matches("^mrpc-[0-9a-f]{12}$", id);
        Assert.Equal(id, Id(new TrainingOptions()));
        // ETags are not identity: re-uploading identical bytes maps to the same run.
        Assert.Equal(id, Id(new TrainingOptions(), files: [Files[0] with { ETag = "\"0x9\"" }, Files[1]]));
    }

    [Fact]
    public void DataOptionsOrBaseModelChangeTheRunId()
    {
        string id = Id(new TrainingOptions());
        Assert.NotEqual(id, Id(new TrainingOptions { Epochs = 1 }));
        Assert.NotEqual(id, Id(new TrainingOptions(), baseModel: "bert-base-uncased"));
        Assert.NotEqual(id, Id(new TrainingOptions(), files: [Files[0] with { Sha256 = new string('c', 64) }, Files[1]]));
    }

    [Fact]
    public void PipelineJsonCountsThroughWhatItResolvesToNotItsBytes()
    {
        // A new schedule or reformatted pipeline.json, with the same training options, is not new training.
        var withSettings = Files.Append(new DatasetFileRef("pipeline", "mrpc/pipeline.json", "\"0x3\"", new string('d', 64))).ToList();
        var rewritten = Files.Append(new DatasetFileRef("pipeline", "mrpc/pipeline.json", "\"0x4\"", new string('e', 64))).ToList();
        Assert.Equal(Id(new TrainingOptions(), files: withSettings), Id(new TrainingOptions(), files: rewritten));
        Assert.NotEqual(Id(new TrainingOptions(), files: withSettings), RunPlanner.RunId("mrpc", withSettings, new TrainingOptions(), "minilm", new PromotionRule(), 0.2));
    }

    [Theory]
    [InlineData("mrpc-0123456789ab", "mrpc", true)]
    [InlineData("mrpc-small-0123456789ab", "mrpc", false)]
    [InlineData("mrpc-small-0123456789ab", "mrpc-small", true)]
    [InlineData("mrpc-0123456789ab", "mrpc-small", false)]
    public void ARunBelongsToItsDatasetOnlyNotToOneWhoseNameItStartsWith(string runId, string dataset, bool belongs) =>
        Assert.Equal(belongs, RunPlanner.IsRunOf(runId, dataset));

    [Fact]
    public void OptionsAreTheRecipeOverlaidByTheDatasetThenTheRequest()
    {
        var options = RunPlanner.ResolveTraining(new JsonObject { ["epochs"] = 1, ["batchSize"] = 16 }, new JsonObject { ["BatchSize"] = 4 }, force: false);
        Assert.Equal(1, options.Epochs);
        Assert.Equal(4, options.BatchSize);
        Assert.Equal(5e-5, options.LearningRate);
        Assert.Equal(RunPlanner.ResolveTraining(null, null, false), new TrainingOptions());
    }

    [Fact]
    public void ForceDrawsANewSeedUnlessOneIsGiven()
    {
        Assert.NotEqual(42UL, RunPlanner.ResolveTraining(null, null, force: true).Seed);
        Assert.Equal(7UL, RunPlanner.ResolveTraining(null, new JsonObject { ["seed"] = 7 }, force: true).Seed);
    }

    [Fact]
    public void UnknownOrInvalidOptionsFailWithTheirName()
    {
        var unknown = Assert.Throws<PipelineFailedException>(() => RunPlanner.ResolveTraining(new JsonObject { ["epocs"] = 1 }, null, false));
        Assert.Contains("epocs", unknown.Message);
        Assert.Throws<PipelineFailedException>(() => RunPlanner.ResolveTraining(new JsonObject { ["epochs"] = 0 }, null, false));
    }

    [Theory]
    [InlineData("mrpc", true)]
    [InlineData("my-data-2", true)]
    [InlineData("MRPC", false)]
    [InlineData("-x", false)]
    [InlineData("a/b", false)]
    public void DatasetNamesAreCheckedBeforeUse(string name, bool valid)
    {
        var error = Record.Exception(() => DatasetNames.Validate(name));
        Assert.Equal(valid, error is null);
    }

    [Theory]
    [InlineData("train.tsv", "train")]
    [InlineData("dev.CSV", "dev")]
    [InlineData("test.jsonl", "test")]
    [InlineData("pipeline.json", "pipeline")]
    [InlineData("notes.txt", null)]
    [InlineData("train.parquet", null)]
    public void TheRoleOfAFileComesFromItsName(string file, string? role) => Assert.Equal(role, DatasetNames.RoleOf(file));
}
