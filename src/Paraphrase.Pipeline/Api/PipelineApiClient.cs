using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paraphrase.Pipeline.Promotion;

namespace Paraphrase.Pipeline.Api;

/// <summary>A typed client of the management API, for the CLI, the demo and tests.</summary>
public sealed class PipelineApiClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = Storage.PipelineJson.Options;

    public static PipelineApiClient Create(string url, string? apiKey)
    {
        var http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(100) };
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return new PipelineApiClient(http);
    }

    public async Task<StartRunResponse> StartAsync(StartRunBody body, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/pipeline/runs", body, Json, cancellationToken);
        return await ReadAsync<StartRunResponse>(response, cancellationToken);
    }

    /// <summary>The run, or null when there is no such run.</summary>
    public async Task<RunStatusResponse?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/pipeline/runs/{Uri.EscapeDataString(id)}", cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<RunStatusResponse>(response, cancellationToken);
    }

    public async Task<IReadOnlyList<RunStatusResponse>> ListAsync(string? dataset = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(dataset is null ? "api/pipeline/runs" : $"api/pipeline/runs?dataset={Uri.EscapeDataString(dataset)}", cancellationToken);
        return (await ReadAsync<RunListResponse>(response, cancellationToken)).Runs;
    }

    public async Task TerminateAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync($"api/pipeline/runs/{Uri.EscapeDataString(id)}/terminate", null, cancellationToken);
        await EnsureAsync(response, cancellationToken);
    }

    public async Task<ChampionResponse> ChampionAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/pipeline/champion", cancellationToken);
        return await ReadAsync<ChampionResponse>(response, cancellationToken);
    }

    public async Task<PromotionHistoryEntry> RollbackAsync(string? reason = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/pipeline/champion/rollback", new RollbackBody(reason), Json, cancellationToken);
        return await ReadAsync<PromotionHistoryEntry>(response, cancellationToken);
    }

    /// <summary>Polls until the run is no longer pending or running, reporting each change.</summary>
    public async Task<RunStatusResponse> WaitAsync(string id, Action<RunStatusResponse>? onUpdate = null, TimeSpan? poll = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var run = await GetAsync(id, cancellationToken) ?? throw new PipelineApiException(404, $"no run '{id}'");
            onUpdate?.Invoke(run);
            if (run.RuntimeStatus is not ("Pending" or "Running"))
            {
                return run;
            }

            await Task.Delay(poll ?? TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        string detail = body;
        try
        {
            using var problem = JsonDocument.Parse(body);
            detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? body : body;
        }
        catch (JsonException)
        {
        }

        throw new PipelineApiException((int)response.StatusCode, detail);
    }
}

/// <summary>An error answer of the management API, with its status and the problem's detail.</summary>
public sealed class PipelineApiException(int status, string detail) : Exception($"{status}: {detail}")
{
    public int Status { get; } = status;
}
