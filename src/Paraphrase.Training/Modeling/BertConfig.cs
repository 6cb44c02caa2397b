using System.Text.Json;
using System.Text.Json.Nodes;

namespace Paraphrase.Training.Modeling;

/// <summary>
/// The BERT architecture, as Hugging Face's <c>config.json</c> describes it. Defaults are bert-base-uncased's.
/// Unknown fields of a loaded file are kept and written back, so a round trip loses nothing.
/// </summary>
public sealed record BertConfig
{
    /// <summary>Rows of the token embedding; must equal the vocabulary size.</summary>
    public int VocabSize { get; init; } = 30522;

    /// <summary>Width of every hidden state.</summary>
    public int HiddenSize { get; init; } = 768;

    /// <summary>Number of transformer layers.</summary>
    public int NumHiddenLayers { get; init; } = 12;

    /// <summary>Attention heads per layer; must divide <see cref="HiddenSize"/>.</summary>
    public int NumAttentionHeads { get; init; } = 12;

    /// <summary>Width of the feed-forward layer.</summary>
    public int IntermediateSize { get; init; } = 3072;

    /// <summary>Activation of the feed-forward layer; only "gelu" (exact, erf) is supported.</summary>
    public string HiddenAct { get; init; } = "gelu";

    /// <summary>Dropout on embeddings and every hidden output during training.</summary>
    public double HiddenDropoutProb { get; init; } = 0.1;

    /// <summary>Dropout on attention probabilities during training.</summary>
    public double AttentionProbsDropoutProb { get; init; } = 0.1;

    /// <summary>Longest input the position embedding covers.</summary>
    public int MaxPositionEmbeddings { get; init; } = 512;

    /// <summary>Segment types (2: first and second sentence).</summary>
    public int TypeVocabSize { get; init; } = 2;

    /// <summary>Standard deviation of the normal initialisation.</summary>
    public double InitializerRange { get; init; } = 0.02;

    /// <summary>LayerNorm epsilon.</summary>
    public double LayerNormEps { get; init; } = 1e-12;

    /// <summary>Id of [PAD]; its embedding row starts at zero.</summary>
    public int PadTokenId { get; init; }

    /// <summary>Classifier outputs (2 for paraphrase / not).</summary>
    public int NumLabels { get; init; } = 2;

    /// <summary>Dropout before the classifier; null uses <see cref="HiddenDropoutProb"/>.</summary>
    public double? ClassifierDropout { get; init; }

    /// <summary>Fields of config.json this record does not model, kept verbatim.</summary>
    public JsonObject Extra { get; init; } = [];

    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>The longest encoding to tokenize for: the position table's size, at most BERT's usual 512.</summary>
    public int MaxSequenceLength => Math.Min(512, MaxPositionEmbeddings);

    /// <summary>Throws <see cref="ModelFormatException"/> naming the first inconsistent field.</summary>
    public void Validate(string source)
    {
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ModelFormatException($"{source}: {message}");
            }
        }

        Require(VocabSize > 0 && HiddenSize > 0 && NumHiddenLayers > 0 && IntermediateSize > 0 && MaxPositionEmbeddings > 0,
            "vocab_size, hidden_size, num_hidden_layers, intermediate_size and max_position_embeddings must be positive");
        Require(NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads == 0,
            $"hidden_size ({HiddenSize}) must be a multiple of num_attention_heads ({NumAttentionHeads})");
        Require(HiddenAct is "gelu", $"hidden_act '{HiddenAct}' is not supported; BERT uses 'gelu'");
        Require(NumLabels >= 2, $"num_labels must be at least 2, got {NumLabels}");
        Require(TypeVocabSize >= 1, "type_vocab_size must be at least 1");
    }

    public static BertConfig Load(string path)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new ModelFormatException($"{path}: empty JSON");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ModelFormatException($"{path}: not a valid config.json ({e.Message})");
        }

        var config = FromJson(json, path);
        config.Validate(path);
        return config;
    }

    public static BertConfig FromJson(JsonObject json, string source)
    {
        var extra = json.DeepClone().AsObject();
        T Take<T>(string name, T fallback)
        {
            if (!extra.Remove(name, out var node) || node is null)
            {
                return fallback;
            }

            try
            {
                return node.GetValue<T>();
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw new ModelFormatException($"{source}: field '{name}' should be a {typeof(T).Name}, found {node.ToJsonString()}");
            }
        }

        var defaults = new BertConfig();
        int numLabels = defaults.NumLabels;
        if (extra["id2label"] is JsonObject labels)
        {
            numLabels = labels.Count;
        }

        numLabels = Take("num_labels", numLabels);
        return new BertConfig
        {
            VocabSize = Take("vocab_size", defaults.VocabSize),
            HiddenSize = Take("hidden_size", defaults.HiddenSize),
            NumHiddenLayers = Take("num_hidden_layers", defaults.NumHiddenLayers),
            NumAttentionHeads = Take("num_attention_heads", defaults.NumAttentionHeads),
            IntermediateSize = Take("intermediate_size", defaults.IntermediateSize),
            HiddenAct = Take("hidden_act", defaults.HiddenAct),
            HiddenDropoutProb = Take("hidden_dropout_prob", defaults.HiddenDropoutProb),
            AttentionProbsDropoutProb = Take("attention_probs_dropout_prob", defaults.AttentionProbsDropoutProb),
            MaxPositionEmbeddings = Take("max_position_embeddings", defaults.MaxPositionEmbeddings),
            TypeVocabSize = Take("type_vocab_size", defaults.TypeVocabSize),
            InitializerRange = Take("initializer_range", defaults.InitializerRange),
            LayerNormEps = Take("layer_norm_eps", defaults.LayerNormEps),
            PadTokenId = Take("pad_token_id", defaults.PadTokenId),
            ClassifierDropout = Take<double?>("classifier_dropout", null),
            NumLabels = numLabels,
            Extra = extra,
        };
    }

    public JsonObject ToJson()
    {
        var json = Extra.DeepClone().AsObject();
        json["architectures"] ??= new JsonArray("BertForSequenceClassification");
        json["model_type"] = "bert";
        json["vocab_size"] = VocabSize;
        json["hidden_size"] = HiddenSize;
        json["num_hidden_layers"] = NumHiddenLayers;
        json["num_attention_heads"] = NumAttentionHeads;
        json["intermediate_size"] = IntermediateSize;
        json["hidden_act"] = HiddenAct;
        json["hidden_dropout_prob"] = HiddenDropoutProb;
        json["attention_probs_dropout_prob"] = AttentionProbsDropoutProb;
        json["max_position_embeddings"] = MaxPositionEmbeddings;
        json["type_vocab_size"] = TypeVocabSize;
        json["initializer_range"] = InitializerRange;
        json["layer_norm_eps"] = LayerNormEps;
        json["pad_token_id"] = PadTokenId;
        json["classifier_dropout"] = ClassifierDropout;
        json["num_labels"] = NumLabels;
        if (NumLabels == 2)
        {
            json["id2label"] = new JsonObject { ["0"] = "not_paraphrase", ["1"] = "paraphrase" };
            json["label2id"] = new JsonObject { ["not_paraphrase"] = 0, ["paraphrase"] = 1 };
        }

        return json;
    }

    public void Save(string path) =>
        File.WriteAllText(path, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
