using System.Text.Json.Nodes;
using Herald.Contracts.Output;
using Herald.Core.Knowledge;
using Herald.Server.Hosting;
using Herald.Server.Page;

namespace Herald.Server.Endpoints;

/// <summary>
/// Open reference data for the page and for guideline authors: <c>GET /api/knowledge</c> (every statement, regimen
/// and trial) and <c>GET /api/examples[/{id}]</c> (the shipped example patients, fictional or the seeds' own cases).
/// Neither holds patient data, so neither needs a caller; neither is audited, as neither is an answer about a patient.
/// </summary>
public static class BrowseEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/knowledge", (HttpContext context, KnowledgeBrowser browser) =>
            Write(context, browser.Json, "application/json")).AllowAnonymous();

        app.MapGet("/api/examples", (HttpContext context, ExampleCatalog examples) =>
        {
            var list = new JsonArray(examples.Examples.Select(e => (JsonNode)new JsonObject
            {
                ["id"] = e.Id,
                ["title"] = e.Title,
                ["description"] = e.Description,
                ["seed"] = e.Seed,
            }).ToArray());
            return Write(context, new JsonObject { ["examples"] = list }.ToJsonString(Json.Indented), "application/json");
        }).AllowAnonymous();

        app.MapGet("/api/examples/{id}", (HttpContext context, ExampleCatalog examples, string id) =>
        {
            if (examples.Find(id) is not { } json)
            {
                return TypedResults.Problem(Problems.Create(context, StatusCodes.Status404NotFound,
                    $"no example '{id}'; known: {string.Join(", ", examples.Examples.Select(e => e.Id))}"));
            }

            return Results.Bytes(json, "application/json");
        }).AllowAnonymous();
    }

    private static Task Write(HttpContext context, string json, string contentType)
    {
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(json, context.RequestAborted);
    }
}

/// <summary>The knowledge base as JSON, serialised once: it does not change while the server runs.</summary>
public sealed class KnowledgeBrowser(KnowledgeBase knowledge)
{
    private readonly Lazy<string> json = new(() => BrowseJson.Serialize(KnowledgeDocumentMapper.Map(knowledge)));

    public string Json => json.Value;
}
