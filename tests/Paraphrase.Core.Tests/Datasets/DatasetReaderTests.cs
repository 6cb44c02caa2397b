using Paraphrase.Core.Datasets;

namespace Paraphrase.Core.Tests.Datasets;

public sealed class DatasetReaderTests : IDisposable
{
    private readonly DatasetFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void ReadsGlueMrpcWithItsOwnHeaderBomAndLiteralQuotes()
    {
        string path = _files.Write("mrpc.tsv",
            "\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\r\n1\t1\t2\tHe said \"hi\".\tHe greeted them.\r\n0\t3\t4\tA\tB\r\n");

        var dataset = DatasetReader.Read(path);

        Assert.Equal(DatasetFormat.Tsv, dataset.Format);
        Assert.Equal(2, dataset.Count);
        Assert.Equal(new SentencePair("He said \"hi\".", "He greeted them.", 1, 2), dataset.Pairs[0]);
        Assert.Equal(0, dataset.Pairs[1].Label);
    }

    [Fact]
    public void FirstPairsOnlyStopsBeforeTheRestOfTheFile()
    {
        string path = _files.Write("pairs.tsv", "sentence1\tsentence2\nA\tB\nC\tD\nthis row is broken\n");

        var dataset = DatasetReader.Read(path, new DatasetOptions { RequireLabels = false, FirstPairsOnly = 2 });

        Assert.Equal(2, dataset.Count);
        Assert.Throws<DatasetException>(() => DatasetReader.Read(path, new DatasetOptions { RequireLabels = false }));
    }

    [Fact]
    public void ReadsTheShippedMrpcSplits()
    {
        Assert.Equal(3668, DatasetReader.Read(Fixtures.Path("mrpc", "train.tsv")).Count);
        Assert.Equal(408, DatasetReader.Read(Fixtures.Path("mrpc", "dev.tsv")).Count);
    }

    [Fact]
    public void ReadsRfc4180CsvWithQuotedCommasNewlinesAndDoubledQuotes()
    {
        string path = _files.Write("pairs.csv",
            "label,sentence1,sentence2\n1,\"Hello, world\",\"She said \"\"yes\"\"\"\n0,\"two\nlines\",plain\n");

        var dataset = DatasetReader.Read(path);

        Assert.Equal(new SentencePair("Hello, world", "She said \"yes\"", 1, 2), dataset.Pairs[0]);
        Assert.Equal(new SentencePair("two\nlines", "plain", 0, 3), dataset.Pairs[1]);
    }

    [Fact]
    public void ReadsJsonLinesWithNumericOrStringLabels()
    {
        string path = _files.Write("pairs.jsonl",
            "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"label\": 1}\n\n{\"sentence1\": \"c\", \"sentence2\": \"d\", \"label\": \"0\"}\n");

        var dataset = DatasetReader.Read(path);

        Assert.Equal([1, 0], dataset.Pairs.Select(p => p.Label!.Value));
        Assert.Equal(3, dataset.Pairs[1].Line);
    }

    [Fact]
    public void CustomColumnsAndLabelMap()
    {
        string path = _files.Write("custom.csv", "left,right,verdict\nx,y,same\nz,w,different\n");
        var options = new DatasetOptions
        {
            Sentence1Column = "left", Sentence2Column = "right", LabelColumn = "verdict",
            LabelMap = new Dictionary<string, int> { ["same"] = 1, ["different"] = 0 },
        };

        var dataset = DatasetReader.Read(path, options);

        Assert.Equal([1, 0], dataset.Pairs.Select(p => p.Label!.Value));
    }

    [Fact]
    public void UnlabelledFilesAreAcceptedWhenLabelsAreNotRequired()
    {
        string path = _files.Write("unlabelled.tsv", "sentence1\tsentence2\na\tb\n");

        var dataset = DatasetReader.Read(path, new DatasetOptions { RequireLabels = false });

        Assert.Null(dataset.Pairs[0].Label);
        Assert.False(dataset.HasLabels);
    }

    public static TheoryData<string, string, string> BadFiles() => new()
    {
        { "empty.tsv", "", "the file is empty" },
        { "header-only.tsv", "sentence1\tsentence2\tlabel\n", "no sentence pairs, only a header" },
        { "missing-column.tsv", "sentence1\tlabel\na\t1\n", ":1: field 'sentence2': no such column; the header has 'sentence1', 'label'" },
        { "missing-label.tsv", "sentence1\tsentence2\na\tb\n", ":1: field 'label': no label column" },
        { "short-row.tsv", "sentence1\tsentence2\tlabel\na\tb\t1\nc\td\n", ":3: expected 3 fields like the header, found 2" },
        { "empty-sentence.tsv", "sentence1\tsentence2\tlabel\na\t \t1\n", ":2: field 'sentence2': the sentence is empty" },
        { "bad-label.tsv", "sentence1\tsentence2\tlabel\na\tb\tyes\n", ":2: field 'label': the label 'yes' is not 0 or 1" },
        { "label-two.csv", "sentence1,sentence2,label\na,b,2\n", ":2: field 'label': the label '2' is not 0 or 1" },
        { "unterminated.csv", "sentence1,sentence2,label\n\"a,b,1\nc,d,0\n", ":2: a quoted field opened on this line is never closed" },
        { "stray-quote.csv", "sentence1,sentence2,label\na\"b,c,1\n", ":2: a double quote inside unquoted field 1" },
        { "after-quote.csv", "sentence1,sentence2,label\n\"a\"b,c,1\n", ":2: text after the closing quote of field 1" },
        { "bad.jsonl", "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"label\": 1}\n{\"sentence1\": \"a\",\n", ":2: not valid JSON" },
        { "array.jsonl", "[1, 2]\n", ":1: expected a JSON object, found Array" },
        { "missing-field.jsonl", "{\"sentence1\": \"a\", \"label\": 1}\n", ":1: field 'sentence2': the sentence is missing" },
        { "number-sentence.jsonl", "{\"sentence1\": 5, \"sentence2\": \"b\", \"label\": 1}\n", ":1: field 'sentence1': expected a string, found Number" },
        { "pairs.txt", "a\tb\n", "cannot tell the format from the extension '.txt'" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadInputIsAClearErrorNamingFileLineAndField(string name, string content, string expected)
    {
        string path = _files.Write(name, content);

        var error = Assert.Throws<DatasetException>(() => DatasetReader.Read(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsReportedWithItsLine()
    {
        byte[] content = [.. "sentence1\tsentence2\tlabel\nok\tfine\t1\n"u8, .. "caf"u8, 0xE9, .. "\tb\t0\n"u8];
        string path = _files.WriteBytes("latin1.tsv", content);

        var error = Assert.Throws<DatasetException>(() => DatasetReader.Read(path));

        Assert.Contains(":3: invalid UTF-8 at byte 4 of the line; save the file as UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlongLinesAndTooManyRowsHitTheLimits()
    {
        string path = _files.Write("long.tsv", "sentence1\tsentence2\tlabel\n" + new string('a', 500) + "\tb\t1\na\tb\t1\na\tb\t0\n");

        var longLine = Assert.Throws<DatasetException>(() => DatasetReader.Read(path, new DatasetOptions { MaxLineBytes = 100 }));
        var tooMany = Assert.Throws<DatasetException>(() => DatasetReader.Read(path, new DatasetOptions { MaxRows = 2 }));

        Assert.Contains(":2: the line is longer than 100 bytes", longLine.Message, StringComparison.Ordinal);
        Assert.Contains(":4: the file has more than 2 rows", tooMany.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipPolicyCountsBadRowsAndKeepsTheRest()
    {
        string path = _files.Write("mixed.tsv", "sentence1\tsentence2\tlabel\na\tb\t1\nc\t\t0\nd\te\tmaybe\nf\tg\t0\n");

        var dataset = DatasetReader.Read(path, new DatasetOptions { OnBadRow = BadRowPolicy.Skip });

        Assert.Equal(2, dataset.Count);
        Assert.Equal(2, dataset.SkippedRows);
        Assert.Equal([3, 4], dataset.Issues.Select(i => i.Line!.Value));
    }

    [Fact]
    public void AllRowsBadIsAnErrorEvenWhenSkipping()
    {
        string path = _files.Write("all-bad.tsv", "sentence1\tsentence2\tlabel\na\tb\t7\n");

        var error = Assert.Throws<DatasetException>(() => DatasetReader.Read(path, new DatasetOptions { OnBadRow = BadRowPolicy.Skip }));

        Assert.Contains("all 1 rows are bad", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContentHashDependsOnRowsNotOnFileFormat()
    {
        var tsv = DatasetReader.Read(_files.Write("a.tsv", "sentence1\tsentence2\tlabel\tid\nHello\tWorld\t1\t9\n"));
        var csv = DatasetReader.Read(_files.Write("b.csv", "label,sentence2,sentence1\r\n1,World,Hello\r\n"));
        var other = DatasetReader.Read(_files.Write("c.csv", "label,sentence2,sentence1\n0,World,Hello\n"));

        Assert.Equal(tsv.ContentHash, csv.ContentHash);
        Assert.NotEqual(tsv.ContentHash, other.ContentHash);
        Assert.Matches("^[0-9a-f]{64}$", tsv.ContentHash);
    }

    [Fact]
    public void MissingFileIsAClearError()
    {
        var error = Assert.Throws<DatasetException>(() => DatasetReader.Read(Path.Combine(Path.GetTempPath(), "does-not-exist.tsv")));

        Assert.Contains("cannot open the file", error.Message, StringComparison.Ordinal);
    }
}
