using Herald.Server.Hosting;

namespace Herald.Server.Page;

/// <summary>
/// <c>GET /</c> (the page) and <c>GET /app/{file}</c> (its scripts, styles and icon). Open routes: they carry no
/// patient data; the page's own calls to the API are authenticated like any other client's.
/// </summary>
public static class PageEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context, PageAssets assets) => Serve(context, assets, "index.html")).AllowAnonymous();
        app.MapGet("/app/{file}", (HttpContext context, PageAssets assets, string file) => Serve(context, assets, "app/" + file)).AllowAnonymous();
    }

    private static Task Serve(HttpContext context, PageAssets assets, string path)
    {
        if (assets.Find(path) is not { } asset)
        {
            return Problems.Write(context, Problems.Create(context, StatusCodes.Status404NotFound, $"no endpoint at {context.Request.Path.ToUriComponent()}"));
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = PageAssets.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidate every time: a new Herald build must never run against an old cached script.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Bytes.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : context.Response.Body.WriteAsync(asset.Bytes, context.RequestAborted).AsTask();
    }
}
