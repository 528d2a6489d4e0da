/**
 * What EC2's DescribeManagedPrefixLists/GetManagedPrefixListEntries answer for the S3 prefix list
 * (com.amazonaws.<region>.s3) of the regions the shipped stacks use, for the test mocks. The
 * entries are the S3 ranges of those regions in AWS's published ip-ranges.json (service S3,
 * syncToken 1787433425, 2026-08-22) without the /28 blocks that list carries for other S3 features:
 * more ranges than any hand-kept allow-list, which is the point.
 */
export interface PrefixList {
    readonly id: string;
    readonly name: string;
    readonly cidrs: readonly string[];
}

export const s3PrefixLists: Readonly<Record<string, PrefixList>> = {
    "eu-central-1": {
        id: "pl-6ea54007",
        name: "com.amazonaws.eu-central-1.s3",
        cidrs: [
            "3.5.134.0/23", "3.5.136.0/22", "3.5.120.0/22", "16.12.24.0/21", "16.12.32.0/22", "16.15.20.0/22",
            "52.219.44.0/22", "52.219.72.0/22", "52.219.140.0/24", "52.219.168.0/24", "52.219.169.0/24",
            "52.219.170.0/23", "52.219.208.0/23", "52.219.210.0/24", "52.219.211.0/24", "52.219.218.0/24",
        ],
    },
    "eu-west-1": {
        id: "pl-6da54004",
        name: "com.amazonaws.eu-west-1.s3",
        cidrs: ["3.5.64.0/21", "3.5.72.0/23", "3.5.74.0/23", "3.5.94.0/23", "3.5.96.0/23", "3.5.98.0/23", "52.92.0.0/17", "52.218.0.0/17"],
    },
};

/** The S3 prefix list of a region, as the mocks hand it to the program. */
export function s3PrefixList(region: string): PrefixList {
    const list = s3PrefixLists[region];
    if (!list) throw new Error(`the test mocks know no S3 prefix list for ${region}; add its entries to test/harness/s3-prefix-lists.ts`);
    return list;
}
