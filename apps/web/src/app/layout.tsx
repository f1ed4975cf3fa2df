import type { Metadata } from 'next';
import type { ReactNode } from 'react';

import { TRPCReactProvider } from '@/trpc/react';

import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Hyperzoo', template: '%s · Hyperzoo' },
  description: 'Experiment tracking for convolutional networks',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
