using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using static Paraphrase.Serving.Tests.BodyEndpoints;

namespace Paraphrase.Serving.Tests;

/// <summary>
/// Malformed bodies, one kind at a time, with the answer each must get; then every JSON type in every field of every
/// body. None may be a 5xx, every 4xx is problem details, and the server answers correctly afterwards.
/// </summary>
public sealed class MalformedBodyTests(BodyFuzzServer server) : IClassFixture<BodyFuzzServer>
{
    private sealed record Case(string Path, byte[] Body, int Status, string Detail, string? ContentType = "application/json");

    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(part => part as byte[] ?? Encoding.UTF8.GetBytes((string)part))];

    private static Case Pair(string first, int status, string detail) =>
        new(Classify, Bytes($$"""{"sentence1": "{{first}}", "sentence2": "A cat was sitting."}"""), status, detail);

    private static Case Pair(byte[] inFirst, int status, string detail) =>
        new(Classify, Bytes("{\"sentence1\": \"The ", inFirst, " cat\", \"sentence2\": \"b\"}"), status, detail);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // Bytes that are not UTF-8 inside a string: the reader accepts them and GetString throws later.
        ["not UTF-8: a lead byte without its continuation"] = Pair(new byte[] { 0xC3, 0x28 }, 400, "not valid UTF-8: the bytes at offset 19"),
        ["not UTF-8: an overlong slash"] = Pair(new byte[] { 0xC0, 0xAF }, 400, "not valid UTF-8"),
        ["not UTF-8: a surrogate encoded as UTF-8"] = Pair(new byte[] { 0xED, 0xA0, 0x80 }, 400, "not valid UTF-8"),
        ["not UTF-8: beyond U+10FFFF"] = Pair(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, 400, "not valid UTF-8"),
        ["not UTF-8: a sequence cut short"] = Pair(new byte[] { 0xE2, 0x82 }, 400, "not valid UTF-8"),
        ["not UTF-8: Latin-1 outside any string"] = new(Classify, Bytes("{\"sentence1\": \"a\", \"sentence2\": \"b\"}", new byte[] { 0xE9 }), 400, "not valid UTF-8"),

        // Escapes: lone surrogates decode only on GetString; broken ones are syntax errors.
        ["a lone high surrogate escape"] = Pair("caf\\ud800", 400, "$.sentence1 holds a \\u escape that is half of a surrogate pair"),
        ["a lone low surrogate escape"] = Pair("\\udc00", 400, "half of a surrogate pair"),
        ["a surrogate pair in the wrong order"] = Pair("\\udc00\\ud800", 400, "half of a surrogate pair"),
        ["a lone surrogate deep in a batch"] = new(Classify,
            Bytes("""{"pairs": [{"sentence1": "a", "sentence2": "b"}, {"sentence1": "a", "sentence2": "b\ud83d"}]}"""), 400, "$.pairs[1].sentence2 holds"),
        ["a lone surrogate in a property name"] = new(Classify, Bytes("""{"\udfff": 1, "sentence1": "a", "sentence2": "b"}"""), 400, "property name"),
        ["an escape with two hex digits"] = Pair("\\u12", 400, "not valid JSON"),
        ["an escape JSON does not have"] = Pair("\\x41", 400, "not valid JSON"),
        ["a backslash at the end of a string"] = new(Classify, Bytes("{\"sentence1\": \"a\\\", \"sentence2\": \"b\"}"), 400, "not valid JSON"),
        ["a raw control character in a string"] = Pair(new byte[] { 0x01 }, 400, "not valid JSON"),

        // Structure.
        ["nesting past the limit"] = new(Classify, Bytes("{\"pairs\": ", new string('[', 40), new string(']', 40), "}"), 400, "maximum configured depth of 32"),
        ["nesting ten thousand deep"] = new(Classify, Bytes(new string('[', 10_000), new string(']', 10_000)), 400, "not valid JSON"),
        ["a name twice"] = new(Classify, Bytes("""{"sentence1": "a", "sentence2": "b", "sentence1": "c"}"""), 400, "$ has the property \"sentence1\" more than once"),
        ["a name twice, differing in case"] = new(Classify, Bytes("""{"sentence1": "a", "Sentence1": "c", "sentence2": "b"}"""), 400, "more than once"),
        ["a name twice, once escaped"] = new(Classify, Bytes("""{"sentence1": "a", "sentence2": "b", "\u0073entence2": "c"}"""), 400, "more than once"),
        ["trailing garbage"] = new(Classify, Bytes("""{"sentence1": "a", "sentence2": "b"} x"""), 400, "not valid JSON"),
        ["two documents"] = new(Classify, Bytes("""{"sentence1": "a", "sentence2": "b"}{"sentence1": "a", "sentence2": "b"}"""), 400, "not valid JSON"),
        ["a body cut short"] = new(Classify, Bytes("""{"sentence1": "a", "sente"""), 400, "not valid JSON"),
        ["single quotes"] = new(Classify, Bytes("{'sentence1': 'a', 'sentence2': 'b'}"), 400, "not valid JSON"),
        ["a comment"] = new(Classify, Bytes("""{"sentence1": "a", /* b */ "sentence2": "b"}"""), 400, "not valid JSON"),
        ["a trailing comma"] = new(Classify, Bytes("""{"sentence1": "a", "sentence2": "b",}"""), 400, "not valid JSON"),
        ["an empty body"] = new(Classify, [], 400, "The body is empty"),
        ["only whitespace"] = new(Classify, Bytes(" \r\n\t "), 400, "not valid JSON"),
        ["JSON null"] = new(Classify, Bytes("null"), 400, "must be a JSON object, not null"),
        ["a JSON string"] = new(Classify, Bytes("\"The cat sat.\""), 400, "must be a JSON object, not a string"),

        // Numbers where strings belong.
        ["a number past double's range"] = new(Classify, Bytes("""{"sentence1": 1e999999, "sentence2": "b"}"""), 400, "$.sentence1 is a number beyond the range"),
        ["a 400-digit integer"] = new(Classify, Bytes("{\"sentence1\": \"a\", \"sentence2\": ", new string('9', 400), "}"), 400, "$.sentence2 is a number beyond the range"),
        ["a number where a string belongs"] = new(Classify, Bytes("""{"sentence1": 3, "sentence2": "b"}"""), 400, "sentence1 must be a string, not number"),
        ["NaN"] = new(Classify, Bytes("""{"sentence1": NaN, "sentence2": "b"}"""), 400, "not valid JSON"),

        // Media type.
        ["text/plain"] = new(Classify, Bytes("""{"sentence1": "a", "sentence2": "b"}"""), 415, "sent with Content-Type: application/json", "text/plain"),
        ["a form, as curl -d sends by default"] = new(Classify, Bytes("sentence1=a&sentence2=b"), 415, "got 'application/x-www-form-urlencoded'",
            "application/x-www-form-urlencoded"),
        ["JSON in UTF-16"] = new(Classify, Encoding.Unicode.GetBytes("""{"sentence1": "a", "sentence2": "b"}"""), 415, "not utf-16",
            "application/json; charset=utf-16"),
        ["a content type that does not parse"] = new(Classify, Bytes("""{"sentence1": "a", "sentence2": "b"}"""), 415, "Content-Type", "json;;=/"),

        // Accepted: what looks odd but is valid.
        ["a UTF-8 byte order mark"] = new(Classify, Bytes(new byte[] { 0xEF, 0xBB, 0xBF }, """{"sentence1": "a", "sentence2": "b"}"""), 200, ""),
        ["no content type"] = new(Classify, Bytes("""{"sentence1": "a", "sentence2": "b"}"""), 200, "", null),
        ["a +json media type and charset=utf-8"] = new(Classify, Bytes("""{"sentence1": "a", "sentence2": "b"}"""), 200, "", "application/vnd.api+json; charset=UTF-8"),
        ["NUL, a noncharacter and astral characters"] = Pair("\\u0000 \\uffff \\ud83d\\ude00 😀 a", 200, ""),

        // The management bodies: through minimal APIs' binding these were empty 400/415 answers, and a training object
        // with a name twice reached the planner, which threw enumerating it.
        ["run: a training option twice"] = new(StartRun, Bytes("""{"dataset": "mrpc", "training": {"epochs": 1, "epochs": 2}}"""), 400,
            "$.training has the property \"epochs\" more than once"),
        ["run: a training option twice, differing in case"] = new(StartRun, Bytes("""{"dataset": "mrpc", "training": {"epochs": 1, "Epochs": 2}}"""), 400,
            "more than once"),
        ["run: a lone surrogate in a training option's name"] = new(StartRun, Bytes("""{"dataset": "mrpc", "training": {"\ud800": 1}}"""), 400, "property name"),
        ["run: dataset twice, differing in case"] = new(StartRun, Bytes("""{"dataset": "mrpc", "DATASET": "other"}"""), 400, "more than once"),
        ["run: not JSON"] = new(StartRun, Bytes("{not json"), 400, "not valid JSON"),
        ["run: a number for the dataset"] = new(StartRun, Bytes("""{"dataset": 5}"""), 400, "$.dataset does not have the type or value"),
        ["run: a string for force"] = new(StartRun, Bytes("""{"dataset": "mrpc", "force": "yes"}"""), 400, "$.force does not have the type"),
        ["run: an array for the body"] = new(StartRun, Bytes("""["mrpc"]"""), 400, "The body does not have the type"),
        ["run: text/plain"] = new(StartRun, Bytes("""{"dataset": "mrpc"}"""), 415, "Content-Type: application/json", "text/plain"),
        ["run: a body over 64 KiB"] = new(StartRun, Bytes("{\"dataset\": \"", new string('a', 70_000), "\"}"), 413, "at most 65,536 bytes"),
        ["run: no body"] = new(StartRun, [], 400, "must name a dataset", null),
        ["run: an epoch count past int"] = new(StartRun, Bytes("""{"dataset": "mrpc", "training": {"epochs": 1e10}}"""), 400, "training options"),
        ["run: a learning rate past double"] = new(StartRun, Bytes("""{"dataset": "mrpc", "training": {"learningRate": 1e999}}"""), 400,
            "$.training.learningRate is a number beyond the range"),
        ["run: a dataset name that is not one"] = new(StartRun, Bytes("""{"dataset": "../etc"}"""), 400, "must be 1-48 lowercase letters"),
        ["run: accepted"] = new(StartRun, Bytes("""{"dataset": "mrpc", "training": {"epochs": 1}}"""), 202, ""),
        ["rollback: no body and no content type"] = new(Rollback, [], 409, "no previous champion", null),
        ["rollback: a number for the reason"] = new(Rollback, Bytes("""{"reason": 42}"""), 400, "$.reason does not have the type"),
        ["rollback: not UTF-8"] = new(Rollback, Bytes("{\"reason\": \"", new byte[] { 0xFF }, "\"}"), 400, "not valid UTF-8"),
        ["promote: an array for the run"] = new(Promote, Bytes("""{"runId": ["mrpc-0123456789ab"], "by": "a", "reason": "b"}"""), 400, "$.runId does not have"),
        ["promote: a lone surrogate in who"] = new(Promote, Bytes("""{"runId": "mrpc-0123456789ab", "by": "\ud800", "reason": "b"}"""), 400, "$.by holds"),
        ["promote: no such run"] = new(Promote, Bytes("""{"runId": "mrpc-0123456789ab", "by": "alice", "reason": "why"}"""), 404, "No run 'mrpc-0123456789ab'"),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task EachKindOfBadBodyGetsItsOwnProblem(string name)
    {
        var (path, body, status, detail, contentType) = Cases[name];

        var response = await server.PostAsync(path, body, contentType);

        Assert.Null(await BodyFuzzServer.JudgeAsync(response));
        Assert.Equal(status, (int)response.StatusCode);
        if (status >= 400)
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await server.AssertStillHealthyAsync();
    }

    /// <summary>Every value is written as JSON text into a slot, so that escapes and numbers reach the server exactly as written.</summary>
    private static readonly string[] Values =
    [
        "null", "true", "false", "0", "-1", "3.5", "1e999", "-1e-999", "123456789012345678901234567890", "\"\"", "\" \"", "\"mrpc\"",
        "\"The cat sat.\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"😀\"", "\"\\ud83d\\ude00\"", $"\"{new string('x', 5000)}\"",
        "{}", "{\"a\": 1}", "{\"a\": 1, \"a\": 2}", "[]", "[1, \"a\", null]", new string('[', 31) + new string(']', 31),
        new string('[', 33) + new string(']', 33),
    ];

    /// <summary>Each field of each body, as a template whose @ takes every value above.</summary>
    private static readonly Dictionary<string, string[]> Slots = new()
    {
        [Classify] =
        [
            "@", """{"sentence1": @, "sentence2": "A cat was sitting."}""", """{"sentence1": "The cat sat.", "sentence2": @}""", """{"pairs": @}""",
            """{"pairs": [@]}""", """{"pairs": [{"sentence1": @, "sentence2": "b"}]}""", """{"pairs": [{"sentence1": "a", "sentence2": @}]}""",
            """{"sentence1": "a", "sentence2": "b", "extra": @}""",
        ],
        [StartRun] =
        [
            "@", """{"dataset": @}""", """{"dataset": "mrpc", "baseModel": @}""", """{"dataset": "mrpc", "training": @}""",
            """{"dataset": "mrpc", "training": {"epochs": @}}""", """{"dataset": "mrpc", "training": {"learningRate": @}}""",
            """{"dataset": "mrpc", "training": {"seed": @}}""", """{"dataset": "mrpc", "training": {"maxLength": @}}""",
            """{"dataset": "mrpc", "force": @}""",
        ],
        [Rollback] = ["@", """{"reason": @}"""],
        [Promote] =
        [
            "@", """{"runId": @, "by": "alice", "reason": "why"}""", """{"runId": "mrpc-0123456789ab", "by": @, "reason": "why"}""",
            """{"runId": "mrpc-0123456789ab", "by": "alice", "reason": @}""",
        ],
    };

    [Theory]
    [InlineData(Classify)]
    [InlineData(StartRun)]
    [InlineData(Rollback)]
    [InlineData(Promote)]
    public async Task EveryJsonTypeInEveryFieldIsAnsweredWithoutAServerError(string path)
    {
        var failures = new List<string>();
        foreach (string slot in Slots[path])
        {
            foreach (string value in Values)
            {
                string body = slot.Replace("@", value, StringComparison.Ordinal);
                if (await BodyFuzzServer.JudgeAsync(await server.PostAsync(path, Encoding.UTF8.GetBytes(body))) is { } failure)
                {
                    failures.Add($"{body[..Math.Min(body.Length, 120)]} → {failure}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} bad answers:\n{string.Join("\n", failures)}");
        await server.AssertStillHealthyAsync();
    }

    [Fact]
    public async Task AMalformedChunkIsAProblemToo()
    {
        var address = server.Client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {Classify} HTTP/1.1\r\nHost: {address.Authority}\r\nX-API-Key: {TestServer.Key}\r\nContent-Type: application/json\r\n" +
            "Connection: close\r\n" +
            "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"sen\r\nzz\r\n"));

        string answer = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
        Assert.Contains("could not be read", answer, StringComparison.Ordinal);
        await server.AssertStillHealthyAsync();
    }
}
