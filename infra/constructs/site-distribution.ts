// CloudFront in front of the site bucket: the only way in (Origin Access Control), with
// security headers on every response, a long cache for dated data (a version never changes)
// and a short one for `latest` data and HTML (they change every night).
import { Duration } from 'aws-cdk-lib';
import {
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PUBLISHED_VERSION_PREFIX } from '../../functions/core/lake-layout.ts';
import { acknowledge } from '../cdk-nag.ts';

/** Pages work without JavaScript; scripts and styles come from the site itself. Pagefind's
 * search needs WebAssembly. */
export const DEFAULT_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// Astro writes /co-quan/index.html; an S3 origin has no directory index, so map
// /co-quan/ and /co-quan to it at the edge.
const INDEX_REWRITE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) request.uri = uri + 'index.html';
  else if (uri.lastIndexOf('.') < uri.lastIndexOf('/')) request.uri = uri + '/index.html';
  return request;
}`;

export interface SiteDistributionProps {
  site: IBucket;
  logs: IBucket;
  contentSecurityPolicy?: string;
}

export class SiteDistribution extends Construct {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);

    const securityHeaders: ResponseSecurityHeadersBehavior = {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365 * 2),
        includeSubdomains: true,
        preload: true,
        override: true,
      },
      contentSecurityPolicy: {
        contentSecurityPolicy: props.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
    };
    const pageHeaders = new ResponseHeadersPolicy(this, 'PageHeaders', {
      comment: 'congkhai: security headers',
      securityHeadersBehavior: securityHeaders,
    });
    // Open data: anyone's page or notebook may fetch it.
    const dataHeaders = new ResponseHeadersPolicy(this, 'DataHeaders', {
      comment: 'congkhai: security headers + CORS for open data',
      securityHeadersBehavior: securityHeaders,
      corsBehavior: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowOrigins: ['*'],
        originOverride: true,
      },
    });

    const shortCache = new CachePolicy(this, 'ShortCache', {
      comment: 'congkhai: HTML and latest data, refreshed nightly',
      defaultTtl: Duration.minutes(5),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.hours(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const longCache = new CachePolicy(this, 'ImmutableCache', {
      comment: 'congkhai: dated data versions never change',
      defaultTtl: Duration.days(365),
      minTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const origin = S3BucketOrigin.withOriginAccessControl(props.site);
    const indexRewrite = new CloudFrontFunction(this, 'IndexRewrite', {
      code: FunctionCode.fromInline(INDEX_REWRITE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'congkhai: /path/ → /path/index.html',
    });
    const data = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy: dataHeaders,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'congkhai public site and open data',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Includes Asia (Viet Nam) edges without the most expensive regions.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: props.logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: shortCache,
        responseHeadersPolicy: pageHeaders,
        functionAssociations: [{ function: indexRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [`${PUBLISHED_VERSION_PREFIX}/archive/*`]: { ...data, cachePolicy: longCache },
        [`${PUBLISHED_VERSION_PREFIX}/*`]: { ...data, cachePolicy: shortCache },
      },
      // Without s3:ListBucket, S3 answers 403 for a missing key: show the site's 404 page.
      errorResponses: [
        { httpStatus: 403, responseHttpStatus: 404, responsePagePath: '/404.html', ttl: Duration.minutes(5) },
        { httpStatus: 404, responseHttpStatus: 404, responsePagePath: '/404.html', ttl: Duration.minutes(5) },
      ],
    });

    acknowledge(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Public statistics for everyone: no geographic restriction is wanted.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static, read-only site with no forms or API behind it; WAF adds cost without a threat to block.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'Served on the default *.cloudfront.net certificate until the province attaches its domain; CloudFront then enforces TLSv1.2_2021.',
      },
    ]);
  }
}
