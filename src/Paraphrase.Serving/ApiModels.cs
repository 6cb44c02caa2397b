using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Paraphrase.Serving;

/// <summary>A model by its id and ONNX variant.</summary>
public sealed record ModelRef(string Id, string Variant)
{
    public static ModelRef Of(ServedModel model) => new(model.Id, model.Variant);
}

/// <summary><c>GET /api/health</c>: alive always; ready once a model is loaded.</summary>
public sealed record HealthResponse(string Status, bool Ready, ModelRef? Model);

/// <summary>One sentence pair to classify.</summary>
public sealed record PairRequest(string Sentence1, string Sentence2);

/// <summary>
/// <c>POST /api/paraphrase</c>'s body: one pair (<c>sentence1</c>, <c>sentence2</c>) or several (<c>pairs</c>). The
/// endpoint reads it with its own strict parser (<see cref="RequestParser"/>); this record describes it in the OpenAPI document.
/// </summary>
public sealed record ParaphraseRequest(string? Sentence1 = null, string? Sentence2 = null, IReadOnlyList<PairRequest>? Pairs = null);

/// <summary>One pair's answer.</summary>
/// <param name="Label"><c>paraphrase</c> or <c>not_paraphrase</c>.</param>
/// <param name="Probability">Probability that the pair is a paraphrase.</param>
/// <param name="Truncated">The pair was longer than the model's maximum length.</param>
/// <param name="Model">Only when a model swap split the request: the id of the model that answered this pair.</param>
public sealed record PairResult(string Label, double Probability, bool Truncated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Model = null);

/// <summary><c>POST /api/paraphrase</c>'s answer: the model that computed it (the newest, if a swap split the request) and results in request order.</summary>
public sealed record ParaphraseResponse(ModelRef Model, IReadOnlyList<PairResult> Results);

/// <summary><c>GET /api/model</c>: the model being served, with its export's parity figures and source metrics.</summary>
public sealed record ModelResponse(string Id, string Variant, string Source, string File, DateTimeOffset? Created, DateTimeOffset Loaded,
    [property: JsonPropertyName("execution_provider")] string ExecutionProvider, JsonNode? Parity, JsonNode? Metrics);
