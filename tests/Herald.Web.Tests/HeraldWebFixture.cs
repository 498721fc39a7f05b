using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace Herald.Web.Tests;

/// <summary>
/// One real Herald server (in-process, Kestrel on a free loopback port, its own temporary SQLite audit file and
/// spool, local-development authentication) and one headless Debian Chromium, shared by a test collection.
/// </summary>
public class HeraldWebFixture : IAsyncLifetime
{
    private WebApplication? app;
    private IPlaywright? playwright;
    private IBrowser? browser;
    private HttpClient? http;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("herald-web-").FullName;

    /// <summary>The server's own origin, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser => browser ?? throw new InvalidOperationException("the browser has not started");

    /// <summary>A client of the same server, for the expected values each test computes from the API.</summary>
    public HttpClient Http => http ?? throw new InvalidOperationException("the server has not started");

    /// <summary>Server settings on top of the defaults (local-development mode), as command-line arguments.</summary>
    protected virtual IReadOnlyList<string> Settings => [];

    public async Task InitializeAsync()
    {
        // Fail (never skip) when Debian's Chromium is missing: these tests are the page's only real-browser check.
        HeraldBrowser.RequireChromium();

        (app, BaseUrl) = await LoopbackServer.StartAsync(Directory, Settings);

        http = new HttpClient { BaseAddress = new Uri(BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };

        playwright = await Playwright.CreateAsync();
        browser = await HeraldBrowser.LaunchAsync(playwright);
    }

    public virtual async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        http?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // The SQLite file may still be held briefly; the OS cleans the temp folder later.
        }
    }

    public async Task<JsonNode> GetJson(string path)
    {
        using var response = await Http.GetAsync(path.TrimStart('/'));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>POSTs a body and returns the status and parsed JSON answer (problem bodies included).</summary>
    public async Task<(int Status, JsonNode Body)> Post(string path, string body, string mediaType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        using var response = await Http.PostAsync(path.TrimStart('/'), content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!);
    }

    /// <summary>The decision the page must show for an example: the same JSON the page sends, to the same endpoint.</summary>
    public async Task<JsonNode> Decide(string body, string mediaType = "application/json", string query = "")
    {
        var (status, answer) = await Post("api/recommendations" + query, body, mediaType);
        Assert.True(status == 200, $"POST /api/recommendations{query} answered {status}: {answer.ToJsonString()}");
        return answer;
    }

    public async Task<JsonNode> Compare(string body, string mediaType = "application/json", string query = "")
    {
        var (status, answer) = await Post("api/comparison" + query, body, mediaType);
        Assert.True(status == 200, $"POST /api/comparison{query} answered {status}: {answer.ToJsonString()}");
        return answer;
    }

    /// <summary>An example's native JSON as the server ships it (GET /api/examples/{id}).</summary>
    public async Task<string> Example(string id)
    {
        using var response = await Http.GetAsync("api/examples/" + id);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /api/examples/{id} answered {(int)response.StatusCode}: {text}");
        return text;
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<HeraldWebFixture>
{
    public const string Name = "Herald web page in Chromium";
}
