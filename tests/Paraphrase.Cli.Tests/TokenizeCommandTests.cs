namespace Paraphrase.Cli.Tests;

public sealed class TokenizeCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paraphrase-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task MrpcDevTokensAreByteForByteHuggingFaces()
    {
        string output = Path.Combine(_directory, "nested", "dev.tokens.jsonl");

        var result = await CliRunner.RunAsync("tokenize", "--input", CliRunner.FixturePath("mrpc", "dev.tsv"), "--output", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Tokenized 408 pairs", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(CliRunner.FixturePath("tokenizer", "dev.jsonl")), await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public async Task UnlabelledInputGivesLinesWithoutLabelsAndTruncationApplies()
    {
        string input = Path.Combine(_directory, "pairs.jsonl");
        await File.WriteAllTextAsync(input, "{\"sentence1\": \"The cat sat.\", \"sentence2\": \"A cat was sitting on the mat today.\"}\n");
        string output = Path.Combine(_directory, "out.jsonl");

        var result = await CliRunner.RunAsync("tokenize", "-i", input, "-o", output, "--max-length", "8");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"idx\": 0, \"input_ids\": [101, 1996, 4937, 102, 1037, 4937, 2001, 102], \"token_type_ids\": [0, 0, 0, 0, 1, 1, 1, 1]}\n",
            await File.ReadAllTextAsync(output));
    }

    [Fact]
    public async Task BadInputFailsWithOneLineNamingTheRowAndWritesNothing()
    {
        string input = Path.Combine(_directory, "bad.tsv");
        await File.WriteAllTextAsync(input, "sentence1\tsentence2\tlabel\nfine\talso fine\t1\noops\t\t0\n");
        string output = Path.Combine(_directory, "out.jsonl");

        var result = await CliRunner.RunAsync("tokenize", "--input", input, "--output", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {input}:3: field 'sentence2': the sentence is empty (or use --skip-bad-rows to leave such rows out)", result.StandardError.Trim());
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory, "*out.jsonl*"));
    }

    [Fact]
    public async Task MissingOptionsAndUnknownOptionsAreUsageErrors()
    {
        var missing = await CliRunner.RunAsync("tokenize", "--input", "x.tsv");
        var unknown = await CliRunner.RunAsync("tokenize", "--inptu", "x.tsv");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--output is required", missing.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unknown option 'inptu'", unknown.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerboseShowsTheDetails()
    {
        var result = await CliRunner.RunAsync("tokenize", "--input", Path.Combine(_directory, "absent.tsv"), "--output", "x.jsonl", "--verbose");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("DatasetException", result.StandardError, StringComparison.Ordinal);
    }
}
