using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Activities;

/// <summary>
/// Tokenizes every split with the base model's vocabulary into token shards (the Hugging Face token-file format),
/// cached by dataset hash + vocabulary hash + max length: a second run on the same data and vocabulary reuses them.
/// </summary>
public sealed class TokenizeDatasetActivity(ArtifactStore store) : TaskActivity<TokenizeInput, TokenizeResult>
{
    public override async Task<TokenizeResult> RunAsync(TaskActivityContext context, TokenizeInput input)
    {
        int maxLength = input.MaxLength ?? input.BaseModel.MaxLength;
        WordPieceVocabulary? vocabulary = null;
        var shards = new List<TokenShardRef>();
        foreach (var split in input.Data.Splits)
        {
            string key = CacheKey(split.ContentHash, input.BaseModel.VocabularySha256, maxLength);
            var shard = ArtifactPaths.TokenShard(key, split.Name);
            if (await store.ExistsAsync(shard))
            {
                shards.Add(new TokenShardRef(split.Name, key, shard.Name, split.Pairs, 0, CacheHit: true));
                continue;
            }

            vocabulary ??= WordPieceVocabulary.Load(new MemoryStream(await store.ReadBytesAsync(ArtifactPaths.BaseModelFolder(input.BaseModel.Key).Child("vocab.txt"))),
                $"{ArtifactPaths.BaseModelFolder(input.BaseModel.Key)}vocab.txt");
            var tokenizer = new BertWordPieceTokenizer(vocabulary, new BertTokenizerOptions { MaxLength = maxLength });
            var pairs = DatasetReader.Read(new MemoryStream(await store.ReadBytesAsync(new BlobPath(ArtifactPaths.Runs, split.Blob))), split.Blob, DatasetFormat.Jsonl);
            var tokenized = TokenizedDataset.From(pairs, tokenizer);
            var text = new StringBuilder();
            for (int i = 0; i < tokenized.Count; i++)
            {
                EncodedPairJsonl.AppendLine(text, i, tokenized.Labels[i], tokenized.Pairs[i]);
            }

            // One request per blob: readers never see a partial shard.
            await store.WriteBytesAsync(shard, Encoding.UTF8.GetBytes(text.ToString()));
            shards.Add(new TokenShardRef(split.Name, key, shard.Name, tokenized.Count, tokenized.Pairs.Count(p => p.Truncated), CacheHit: false));
        }

        return new TokenizeResult(shards);
    }

    public static string CacheKey(string datasetHash, string vocabularySha256, int maxLength) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{datasetHash}\n{vocabularySha256}\n{maxLength}")))[..20];
}
